/**
 * Request bodies: which kinds the manager accepts, their default
 * Content-Type, and how each is handed to a transport and re-sent
 * (307/308 redirects).
 *
 * @module
 */

import type { ExchangeBody } from "./transport/transport.ts";
import { concatBytes } from "./core/concat_bytes.ts";
import { isOptionsObject } from "./request_options.ts";

/**
 * Every body kind `post()`, `put()` and `sendCustomRequest()` accept.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, type RequestBody } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ method: "POST", url: "https://api.test/echo" }).reply((call) => ({ status: 200, body: call.body })).persist();
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const bodies: RequestBody[] = ["text", new TextEncoder().encode("bytes"), new Blob(["blob"]), new URLSearchParams({ a: "1" })];
 * const echoed = await Promise.all(bodies.map((body) => nam.post("https://api.test/echo", body).text()));
 * equal(echoed.join(" "), "text bytes blob a=1");
 * ```
 */
export type RequestBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | URLSearchParams
  | FormData
  | ReadableStream<Uint8Array>
  | null
  | undefined;

/**
 * How much of a ReadableStream body is kept so that it can be re-sent on a
 * 307/308 redirect. A longer stream gives ContentReSendError instead.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { STREAM_RESEND_BUFFER_LIMIT } from "@netreply/netreply";
 * equal(STREAM_RESEND_BUFFER_LIMIT, 1024 * 1024); // a longer stream body is not re-sent on a 307/308
 * ```
 */
export const STREAM_RESEND_BUFFER_LIMIT: number = 1024 * 1024;

/** A body ready for the first hop, and for re-sends where possible. */
export interface PreparedBody {
  /** The Content-Type the body implies, when the user set none. */
  readonly contentType?: string;
  /** The body for the first exchange. */
  readonly first: ExchangeBody;
  /** The body for a re-send, or why it cannot be re-sent. */
  resend(): ExchangeBody | { readonly refusal: string };
}

/** Throws a TypeError naming the value when `body` is not a supported kind. */
export function checkRequestBody(body: unknown): asserts body is RequestBody {
  if (
    body === null || body === undefined || typeof body === "string" || body instanceof Uint8Array ||
    body instanceof ArrayBuffer || body instanceof Blob || body instanceof URLSearchParams ||
    body instanceof FormData || body instanceof ReadableStream
  ) return;
  const what = typeof body === "object" ? (body.constructor?.name ?? "object") : typeof body;
  const jsonLike = Array.isArray(body) || isOptionsObject(body);
  const hint = jsonLike ? "; to send JSON, pass it as the json option: post(url, { json: value })" : "";
  throw new TypeError(
    `Cannot send a body of type ${what}: expected string, Uint8Array, ArrayBuffer, Blob, URLSearchParams, FormData or ReadableStream${hint}`,
  );
}

/**
 * Copies what the caller could still change after `post()` returns, as
 * `fetch()` does: the bytes of a Uint8Array or ArrayBuffer (into a Blob, which
 * the runtime holds outside the JavaScript heap and sends without copying
 * again), the entries of URLSearchParams and FormData. Strings and Blobs are
 * immutable; a stream is read once anyway.
 */
export function snapshotRequestBody(body: RequestBody): RequestBody {
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return new Blob([body as BlobPart]);
  if (body instanceof URLSearchParams) return new URLSearchParams(body);
  if (body instanceof FormData) {
    const copy = new FormData();
    for (const [name, value] of body) copy.append(name, value);
    return copy;
  }
  return body;
}

function fixed(bytes: Uint8Array, contentType?: string): PreparedBody {
  const body: ExchangeBody = { kind: "bytes", bytes };
  return { contentType, first: body, resend: () => body };
}

/**
 * Turns a body into what a transport sends. Fixed-size bodies become bytes or
 * a Blob (sent with Content-Length); only a ReadableStream streams. `null` and
 * `undefined` mean no body.
 */
export async function prepareRequestBody(body: RequestBody): Promise<PreparedBody | null> {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return fixed(new TextEncoder().encode(body), "text/plain;charset=UTF-8");
  if (body instanceof Uint8Array) return fixed(body);
  if (body instanceof ArrayBuffer) return fixed(new Uint8Array(body));
  if (body instanceof ReadableStream) return replayableStream(body);
  // An empty Blob is sent as empty bytes: fetch sends no Content-Length for an empty Blob.
  if (body instanceof Blob && body.size > 0) {
    const blob: ExchangeBody = { kind: "blob", blob: body };
    return { contentType: body.type || undefined, first: blob, resend: () => blob };
  }
  // FormData, URLSearchParams, an empty Blob: let the web platform encode them and pick the type.
  const response = new Response(body);
  const contentType = response.headers.get("content-type") || undefined;
  return fixed(new Uint8Array(await response.arrayBuffer()), contentType);
}

function replayableStream(stream: ReadableStream<Uint8Array>): PreparedBody {
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let complete = false;
  const recorder = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      keptBytes += chunk.byteLength;
      if (keptBytes <= STREAM_RESEND_BUFFER_LIMIT) kept.push(new Uint8Array(chunk));
      controller.enqueue(chunk);
    },
    flush() {
      complete = true;
    },
  });
  return {
    first: { kind: "stream", stream: stream.pipeThrough(recorder) },
    resend() {
      if (keptBytes > STREAM_RESEND_BUFFER_LIMIT) {
        return { refusal: "a ReadableStream body longer than the re-send buffer (1 MiB) is not kept" };
      }
      if (!complete) {
        return { refusal: "the ReadableStream body was not read to its end before the response" };
      }
      return { kind: "bytes", bytes: concatBytes(kept) };
    },
  };
}
