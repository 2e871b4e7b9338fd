/**
 * The suite's checks of one test, as its client makes them: each response as it arrives
 * (where it came from, status, header fields, body), then what the server saw (validators,
 * request fields, the response fields it sent). The first failed check ends the test; a check
 * the test marks as setup (`setup`, `setup_tests`) fails it as a setup failure instead.
 *
 * @module
 */

import { magicValue } from "./magic_headers.ts";
import type { ServerRequest } from "./origin_server.ts";
import type { RequestSpec } from "./suite.ts";

/** A failed check: `Assertion`, or `Setup` when the check was part of the test's setup. */
export class CheckFailure extends Error {
  /** "Assertion" or "Setup", as the suite names its results. */
  readonly kind: "Assertion" | "Setup";
  constructor(kind: "Assertion" | "Setup", message: string) {
    super(message);
    this.kind = kind;
    this.name = kind;
  }
}

/** A response as the client saw it. */
export interface ClientResponse {
  /** The status (999 for the server's "304 Not Generated"). */
  readonly status: number;
  /** A field's lines joined with ", " (as Fetch's `Headers.get`), or `null`. */
  get(name: string): string | null;
  has(name: string): boolean;
  readonly body: string;
}

function assert(isSetup: boolean, condition: boolean, message: string): void {
  if (!condition) throw new CheckFailure(isSetup ? "Setup" : "Assertion", message);
}

function isSetupCheck(request: RequestSpec, member: string): boolean {
  return request.setup === true || (request.setup_tests?.includes(member) ?? false);
}

const noBodyStatus: ReadonlySet<number> = new Set([204, 304]);
// Checked on the server's list of sent fields: not Date (it changes), nor what browsers cannot read.
const uncheckedResponseFields: ReadonlySet<string> = new Set(["date", "set-cookie", "set-cookie2"]);

/**
 * Checks response `index` (0-based) of a test.
 *
 * @throws {CheckFailure} At the first check that fails.
 */
export function checkResponse(
  requests: readonly RequestSpec[],
  index: number,
  response: ClientResponse,
  testUuid: string,
): void {
  const request = requests[index];
  const number = index + 1;
  const served = Number.parseInt(response.get("server-request-count") ?? "");
  const seen = response.get("request-numbers");
  if (seen !== null) {
    const numbers = seen.split(" ").map((n) => Number.parseInt(n));
    assert(true, numbers.length === new Set(numbers).size, "retry");
  }
  if (request.expected_type !== undefined) {
    const setup = isSetupCheck(request, "expected_type");
    if (request.expected_type === "cached" && !(response.status === 304 && Number.isNaN(served))) {
      assert(setup, served < number, `Response ${number} does not come from cache`);
    }
    if (request.expected_type === "not_cached") {
      assert(setup, served === number, `Response ${number} comes from cache`);
    }
  }
  if (request.expected_status !== undefined) {
    if (request.expected_status !== null) {
      assert(
        isSetupCheck(request, "expected_status"),
        response.status === request.expected_status,
        `Response ${number} status is ${response.status}, not ${request.expected_status}`,
      );
    }
  } else if (request.response_status !== undefined) {
    assert(
      true,
      response.status === request.response_status[0],
      `Response ${number} status is ${response.status}, not ${request.response_status[0]}`,
    );
  } else if (response.status === 999) {
    assert(
      isSetupCheck(request, "expected_type"),
      false,
      `Request ${number} should have been conditional, but it was not.`,
    );
  } else {
    assert(true, response.status === 200, `Response ${number} status is ${response.status}, not 200`);
  }
  checkResponseFields(request, number, response);
  if (request.check_body === false) return;
  if (request.expected_response_text !== undefined) {
    if (request.expected_response_text !== null) {
      assert(
        isSetupCheck(request, "expected_response_text"),
        response.body === request.expected_response_text,
        `Response body is "${response.body}", not "${request.expected_response_text}"`,
      );
    }
  } else if (request.response_body !== undefined && request.response_body !== null) {
    assert(
      true,
      response.body === request.response_body,
      `Response body is "${response.body}", not "${request.response_body}"`,
    );
  } else if (!noBodyStatus.has(response.status) && request.request_method !== "HEAD") {
    assert(true, response.body === testUuid, `Response body is "${response.body}", not "${testUuid}"`);
  }
}

function checkResponseFields(request: RequestSpec, number: number, response: ClientResponse): void {
  const present = isSetupCheck(request, "expected_response_headers");
  for (const header of request.expected_response_headers ?? []) {
    if (typeof header === "string") {
      assert(present, response.has(header), `Response ${number} ${header} header not present.`);
    } else if (header.length > 2) {
      const [name, operator, operand] = header as [string, string, string | number];
      assert(present, response.has(name), `Response ${number} ${name} header not present.`);
      const value = response.get(name);
      let condition: boolean;
      let should: string;
      if (operator === "=") {
        const other = response.get(String(operand));
        condition = value === other;
        should = `match ${operand} (${other})`;
      } else if (operator === ">") {
        condition = Number.parseInt(value ?? "") > Number(operand);
        should = `be bigger than ${operand}`;
      } else {
        throw new Error(`Unknown expected-header operator '${operator}'`);
      }
      assert(present, condition, `Response ${number} header ${name} is ${value}, should ${should}`);
    } else {
      const [name, value] = header;
      const known = { get: (field: string) => response.get(field) ?? undefined };
      const expected = String(magicValue(name, value, known, request));
      assert(
        present,
        response.get(name) === expected,
        `Response ${number} header ${name} is "${response.get(name)}", not "${expected}"`,
      );
    }
  }
  const missing = isSetupCheck(request, "expected_response_headers_missing");
  for (const header of request.expected_response_headers_missing ?? []) {
    // The suite's [name, value] form reads a member Fetch's Headers does not have: it never fails.
    if (typeof header === "string") {
      assert(
        missing,
        !response.has(header),
        `Response ${number} includes unexpected header ${header}: "${response.get(header)}"`,
      );
    }
  }
}

/**
 * Checks what the server saw against the test's requests, with the client's responses.
 *
 * @throws {CheckFailure} At the first check that fails.
 */
export function checkServerRequests(
  requests: readonly RequestSpec[],
  responses: readonly ClientResponse[],
  state: readonly ServerRequest[],
): void {
  let seenIndex = 0;
  requests.forEach((request, i) => {
    const number = i + 1;
    const seen = state[seenIndex] as ServerRequest | undefined;
    const typeSetup = isSetupCheck(request, "expected_type");
    const validators: string[] = [];
    if (request.expected_type === "cached") return; // the server does not see it
    if (request.expected_type === "not_cached") {
      assert(
        typeSetup,
        seen?.request_num === number,
        `Response ${number} comes from cache (${seen?.request_num} on server)`,
      );
    }
    if (request.expected_type === "etag_validated") validators.push("if-none-match");
    if (request.expected_type === "lm_validated") validators.push("if-modified-since");
    seenIndex++;
    for (const field of validators) {
      assert(typeSetup, seen !== undefined, `request ${number} wasn't sent to server`);
      assert(
        typeSetup,
        Object.hasOwn(seen!.request_headers, field),
        `request ${number} doesn't have ${field} header`,
      );
    }
    const present = isSetupCheck(request, "expected_request_headers");
    for (const header of request.expected_request_headers ?? []) {
      if (typeof header === "string") {
        assert(
          present,
          seen !== undefined && Object.hasOwn(seen.request_headers, header.toLowerCase()),
          `Request ${number} ${header} header not present.`,
        );
      } else {
        const value = seen?.request_headers[header[0].toLowerCase()];
        assert(
          present,
          value === header[1],
          `Request ${number} header ${header[0]} is "${value}", not "${header[1]}"`,
        );
      }
    }
    const absent = isSetupCheck(request, "expected_request_headers_missing");
    for (const header of request.expected_request_headers_missing ?? []) {
      if (typeof header === "string") {
        assert(
          absent,
          !(seen !== undefined && Object.hasOwn(seen.request_headers, header.toLowerCase())),
          `Request ${number} ${header} header present.`,
        );
      } else {
        const value = seen?.request_headers[header[0].toLowerCase()];
        assert(absent, value !== header[1], `Request ${number} header ${header[0]} is "${value}"`);
      }
    }
    if (seen !== undefined) {
      for (const [name, value] of seen.response_headers) {
        if (uncheckedResponseFields.has(name.toLowerCase())) continue;
        const received = responses[i].get(name);
        assert(
          true,
          received === value,
          `Response ${number} header ${name} is "${received}", not "${value}"`,
        );
      }
    }
    if (request.expected_method !== undefined) {
      assert(
        isSetupCheck(request, "expected_method"),
        seen?.request_method === request.expected_method,
        `Request ${number} had method ${seen?.request_method}, not ${request.expected_method}`,
      );
    }
  });
}
