/**
 * The suite's origin server on loopback (Deno.serve): each test registers its requests under a
 * fresh id, and every request to `/test/<id>[/file][?query]` is answered from the configuration of
 * the request number it carries in `Req-Num` (else the count the server has seen), with the
 * suite's server semantics:
 *
 * - status `response_status` (default 200); for an `etag_validated` or `lm_validated` request,
 *   304 when `If-None-Match` / `If-Modified-Since` equals the previous response's `ETag` /
 *   `Last-Modified`, else the suite's "304 Not Generated" (status 999, which Deno.serve cannot
 *   send: the server answers 200 with {@linkcode NOT_CONDITIONAL_FIELD} and the client reads
 *   that as 999);
 * - `Server-Base-Url`, `Server-Request-Count`, `Client-Request-Count`, `Server-Now`, then the
 *   `response_headers` with their magic values, `Content-Type: text/plain` unless given,
 *   `Request-Numbers` (every request number seen, to catch retries);
 * - the body `response_body`, else the test's id; none for 204 and 304;
 * - `response_pause` seconds before answering.
 *
 * Each request is kept (number, method, header fields, the response fields to check) for the
 * client to compare once the test has run.
 *
 * @module
 */

import { magicValue } from "./magic_headers.ts";
import type { RequestSpec } from "./suite.ts";

/** Marks a response that stands for the suite's status 999 ("304 Not Generated"). */
export const NOT_CONDITIONAL_FIELD = "Cache-Tests-Not-Conditional";

/** What the server saw of one request. */
export interface ServerRequest {
  readonly request_num: number;
  readonly request_method: string;
  /** Lower-case names; repeated fields joined with ", ". */
  readonly request_headers: Record<string, string>;
  /** The response fields the client must find, with their values as sent. */
  readonly response_headers: [string, string][];
}

/** The origin server of a run. */
export interface OriginServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Registers a test's requests (a copy is kept: the server rewrites magic values in place). */
  configure(id: string, requests: readonly RequestSpec[]): void;
  /** What the server saw for a test, in order. */
  state(id: string): readonly ServerRequest[];
  /** Forgets a test. */
  forget(id: string): void;
}

const noBodyStatus: ReadonlySet<number> = new Set([204, 304]);

function lastHeader(headers: RequestSpec["response_headers"], name: string): string | number | undefined {
  let found: string | number | undefined;
  for (const header of headers ?? []) if (header[0].toLowerCase() === name.toLowerCase()) found = header[1];
  return found;
}

/** Starts the origin server on 127.0.0.1 (an ephemeral port). */
export function startOriginServer(): OriginServer {
  const configs = new Map<string, RequestSpec[]>();
  const states = new Map<string, ServerRequest[]>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const url = new URL(request.url);
    const [, prefix, id] = url.pathname.split("/");
    const requests = prefix === "test" ? configs.get(id) : undefined;
    if (requests === undefined) {
      return new Response(`No test configured for ${url.pathname}\n`, { status: 404 });
    }
    const state = states.get(id)!;
    const clientNumber = Number.parseInt(request.headers.get("req-num") ?? "");
    const number = clientNumber || state.length + 1;
    const config = requests[number - 1];
    if (config === undefined) {
      return new Response(`No request ${number} configured for ${id}\n`, { status: 409 });
    }
    if (config.response_pause !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, config.response_pause! * 1000));
    }
    return respond(id, url, request, config, requests[number - 2], clientNumber, state);
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    origin: `http://127.0.0.1:${port}`,
    configure(id, requests) {
      configs.set(id, JSON.parse(JSON.stringify(requests)));
      states.set(id, []);
    },
    state: (id) => states.get(id) ?? [],
    forget(id) {
      configs.delete(id);
      states.delete(id);
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

function respond(
  id: string,
  url: URL,
  request: Request,
  config: RequestSpec,
  previous: RequestSpec | undefined,
  clientNumber: number,
  state: ServerRequest[],
): Response {
  let [status, reason] = config.response_status ?? [200, "OK"];
  let notConditional = false;
  if (config.expected_type?.endsWith("validated")) {
    const previousLm = lastHeader(previous?.response_headers, "Last-Modified");
    const previousEtag = lastHeader(previous?.response_headers, "ETag");
    const validated = (previousLm !== undefined && request.headers.get("if-modified-since") === previousLm) ||
      (previousEtag !== undefined && request.headers.get("if-none-match") === previousEtag);
    if (validated) [status, reason] = [304, "Not Modified"];
    else [status, reason, notConditional] = [200, "OK", true];
  }
  const headers = new Headers();
  headers.set("Server-Base-Url", url.pathname + url.search);
  headers.set("Server-Request-Count", String(state.length + 1));
  headers.set("Client-Request-Count", String(clientNumber));
  headers.set("Server-Now", String(Date.now()));
  const known = { get: (name: string) => headers.get(name) ?? undefined };
  const saved = new Map<string, string>();
  for (const header of config.response_headers ?? []) {
    // In place, as the suite's server does: the next request's validators read the values sent.
    header[1] = magicValue(header[0], header[1], known, config);
    headers.append(header[0], String(header[1]));
    if (header.length < 3 || header[2] === true) {
      saved.set(header[0], headers.get(header[0])!); // repeated lines joined with ", ", as the client reads them
    }
  }
  if (!headers.has("content-type")) headers.set("Content-Type", "text/plain");
  if (notConditional) headers.set(NOT_CONDITIONAL_FIELD, "1");
  state.push({
    request_num: clientNumber,
    request_method: request.method,
    request_headers: Object.fromEntries(request.headers),
    response_headers: [...saved],
  });
  headers.set("Request-Numbers", state.map((item) => item.request_num).join(" "));
  const body = noBodyStatus.has(status) ? null : (config.response_body || id);
  return new Response(body, { status, statusText: reason, headers });
}
