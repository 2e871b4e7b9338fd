/**
 * Runs one test of the suite through a {@linkcode NetworkAccessManager}: registers its requests
 * with the origin server under a fresh id, sends them one after the other (pausing where the
 * test says), checks each response and then what the server saw. The request options of Fetch
 * that a test may set map onto the manager as a browser's cache would see them: `cache:
 * "no-cache"` adds `Cache-Control: max-age=0` (Fetch's rule), `"reload"` and `"no-store"` are
 * `AlwaysNetwork` (`"no-store"` also saves nothing), `"force-cache"` is `PreferCache`,
 * `"only-if-cached"` is `AlwaysCache`; `redirect: "manual"` is Qt's manual redirect policy;
 * `mode` and `credentials` mean nothing outside a browser.
 *
 * @module
 */

import {
  Attribute,
  CacheLoadControl,
  type NetworkAccessManager,
  networkErrorName,
  NetworkRequest,
  RedirectPolicy,
} from "../../mod.ts";
import { CheckFailure, checkResponse, checkServerRequests, type ClientResponse } from "./checks.ts";
import { magicValue } from "./magic_headers.ts";
import { NOT_CONDITIONAL_FIELD, type OriginServer } from "./origin_server.ts";
import type { RawResult } from "./results.ts";
import type { RequestSpec, TestSpec } from "./suite.ts";

/** How a test run is set up. */
export interface RunContext {
  readonly manager: NetworkAccessManager;
  readonly server: OriginServer;
  /** The `pause_after` pause, in ms (the suite's is 3000). */
  readonly pauseMs: number;
  /** Called with each exchange when a test is traced (`--id`). */
  readonly trace?: (line: string) => void;
}

const unsupported = ["disconnect", "interim_responses", "expected_interim_responses"] as const;

/** Runs a test; resolves `true` or the failure's kind and message (never rejects). */
export async function runTest(test: TestSpec, context: RunContext): Promise<RawResult> {
  const { requests } = test;
  for (const request of requests) {
    const member = unsupported.find((name) => name in request);
    if (member !== undefined) return ["Harness", `${member} is not supported by this runner`];
  }
  const uuid = crypto.randomUUID();
  context.server.configure(uuid, requests);
  try {
    const responses: ClientResponse[] = [];
    for (let i = 0; i < requests.length; i++) {
      const response = await send(context, uuid, test, requests, i, responses[i - 1]);
      responses.push(response);
      checkResponse(requests, i, response, uuid);
      if (requests[i].pause_after) await new Promise((resolve) => setTimeout(resolve, context.pauseMs));
    }
    checkServerRequests(requests, responses, context.server.state(uuid));
    return true;
  } catch (error) {
    if (error instanceof CheckFailure) return [error.kind, error.message];
    return [
      error instanceof Error ? error.name : "Error",
      error instanceof Error ? error.message : String(error),
    ];
  } finally {
    context.server.forget(uuid);
  }
}

function requestFor(
  context: RunContext,
  uuid: string,
  test: TestSpec,
  request: RequestSpec,
  number: number,
  previous: ClientResponse | undefined,
): NetworkRequest {
  let path = `/test/${uuid}`;
  if (request.filename !== undefined) path += `/${request.filename}`;
  if (request.query_arg !== undefined) path += `?${request.query_arg}`;
  const headers: [string, string][] = (request.request_headers ?? []).map(([name, value]) => {
    if (request.magic_ims && name.toLowerCase() === "if-modified-since") {
      const known = { get: (field: string) => previous?.get(field) ?? undefined };
      return [name, String(magicValue(name, value, known, request))];
    }
    return [name, value];
  });
  const attributes: Partial<Record<Attribute, unknown>> = {};
  switch (request.cache) {
    case "no-cache":
      if (!headers.some(([name]) => name.toLowerCase() === "cache-control")) {
        headers.push(["Cache-Control", "max-age=0"]);
      }
      break;
    case "no-store":
      attributes[Attribute.CacheSaveControlAttribute] = false;
      attributes[Attribute.CacheLoadControlAttribute] = CacheLoadControl.AlwaysNetwork;
      break;
    case "reload":
      attributes[Attribute.CacheLoadControlAttribute] = CacheLoadControl.AlwaysNetwork;
      break;
    case "force-cache":
      attributes[Attribute.CacheLoadControlAttribute] = CacheLoadControl.PreferCache;
      break;
    case "only-if-cached":
      attributes[Attribute.CacheLoadControlAttribute] = CacheLoadControl.AlwaysCache;
      break;
  }
  headers.push(["Test-ID", test.id], ["Req-Num", String(number)]);
  return new NetworkRequest(context.server.origin + path, {
    headers,
    attributes,
    ...(request.redirect === "manual" ? { redirectPolicy: RedirectPolicy.ManualRedirectPolicy } : {}),
  });
}

async function send(
  context: RunContext,
  uuid: string,
  test: TestSpec,
  requests: readonly RequestSpec[],
  index: number,
  previous: ClientResponse | undefined,
): Promise<ClientResponse> {
  const request = requests[index];
  const networkRequest = requestFor(context, uuid, test, request, index + 1, previous);
  const method = request.request_method ?? "GET";
  const nam = context.manager;
  const reply = method === "HEAD"
    ? nam.head(networkRequest)
    : nam.sendCustomRequest(networkRequest, method, request.request_body);
  await reply.done;
  const status = reply.status;
  if (status === 0) {
    // No HTTP response at all: what makes fetch() reject in the suite's client.
    throw new TypeError(
      `Request ${index + 1} failed: ${networkErrorName(reply.error())} ${reply.errorString()}`,
    );
  }
  const headers = reply.headers();
  const body = new TextDecoder().decode(reply.readAll());
  context.trace?.(
    `${method} ${networkRequest.url().pathname}${networkRequest.url().search} ${
      networkRequest.headers().toListOfPairs().map(([n, v]) => `${n}: ${v}`).join(" | ")
    }\n` +
      `  -> ${status}${reply.attribute(Attribute.SourceIsFromCacheAttribute) ? " (from cache)" : ""} ${
        headers.toListOfPairs().map(([n, v]) => `${n}: ${v}`).join(" | ")
      }`,
  );
  return {
    status: headers.contains(NOT_CONDITIONAL_FIELD.toLowerCase()) ? 999 : status,
    get: (name) => headers.combinedValue(name.toLowerCase()) ?? null,
    has: (name) => headers.contains(name.toLowerCase()),
    body,
  };
}
