/**
 * {@linkcode responseHead}: a fetch `Response`'s status and headers as the
 * transport reports them, with Content-Length moved out when the body is
 * delivered decoded.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { responseHead } from "./response_head.ts";
 * const response = new Response("x", { headers: { "content-encoding": "gzip", "content-length": "20" } });
 * const head = responseHead(response, { by: "runtime", coding: "gzip" });
 * equal(head.headers.contains("content-length"), false);
 * equal(head.originalContentLength, 20);
 * await response.body?.cancel();
 * ```
 *
 * @module
 */

import { copiedHeaders, fetchedHeaders } from "../../core/http_headers.ts";
import type { ResponseHead } from "../transport.ts";
import type { DecodingPlan } from "./decoding.ts";

const DIGITS = /^\d+$/;

/**
 * Content-Length as a number when it is one (duplicates such as "3, 3" must
 * agree), else `undefined`.
 */
export function contentLength(headers: Headers): number | undefined {
  const raw = headers.get("content-length");
  if (raw === null) return undefined;
  if (DIGITS.test(raw)) return Number(raw);
  const values = new Set(raw.split(",").map((v) => v.trim()));
  if (values.size !== 1) return undefined;
  const [value] = values;
  return DIGITS.test(value) ? Number(value) : undefined;
}

/**
 * The head of `response`: status, the runtime's `statusText`, header fields
 * in the runtime's order (lower-case, Set-Cookie fields apart) and, when the
 * body is delivered decoded, no Content-Length but `originalContentLength`.
 * HTTP/2 use is left `undefined`: fetch does not tell.
 */
export function responseHead(response: Response, plan: DecodingPlan): ResponseHead {
  // Read by name until someone needs the fields as a list: most responses never have them sorted and copied.
  // Only a network response's fields are fixed; a Response a replacement fetch built could still change.
  const headers = response.type === "default"
    ? copiedHeaders(response.headers)
    : fetchedHeaders(response.headers);
  const head = { status: response.status, reasonPhrase: response.statusText, headers };
  if (plan.by === "none") return head;
  // Qt: the body is delivered decoded, so its encoded length leaves the headers.
  const originalContentLength = contentLength(response.headers);
  headers.removeAll("content-length");
  return originalContentLength === undefined ? head : { ...head, originalContentLength };
}
