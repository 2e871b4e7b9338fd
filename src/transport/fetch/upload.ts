/**
 * {@linkcode prepareUpload}: a request body as fetch takes it, and the upload
 * progress fetch lets the transport report (docs/transports.md): for a
 * stream body the bytes the runtime pulled, for a fixed body `(0, total)` and
 * `(total, total)` when the request counts as sent.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { prepareUpload } from "./upload.ts";
 * const upload = prepareUpload({ kind: "bytes", bytes: new Uint8Array(5) }, true, () => {});
 * deepEqual(upload.atRequestSent, [ [ 0, 5 ], [ 5, 5 ] ]);
 * ```
 *
 * @module
 */

import { countingStream } from "../counting_stream.ts";
import { type ExchangeBody, fixedBodySize } from "../transport.ts";

/** What {@linkcode prepareUpload} gives. */
export interface Upload {
  /** The body for `fetch`, if one is sent. */
  readonly body?: BodyInit;
  /** Whether fetch needs `duplex: "half"` (a stream body). */
  readonly streaming: boolean;
  /** `[sent, total]` progress to report just before `requestSent`. */
  readonly atRequestSent: readonly (readonly [number, number])[];
}

/** The upload of a request without a body. */
const NO_UPLOAD: Upload = Object.freeze({ streaming: false, atRequestSent: Object.freeze([]) });

/**
 * Turns an exchange body into a fetch body.
 *
 * @param body The exchange body, or `null`.
 * @param send Whether the body goes on the wire: fetch refuses any body on
 *   GET and HEAD, so an empty one there is reported but not sent.
 * @param onProgress Called with `(sent, total)` as the runtime pulls a stream
 *   body: first `(0, -1)`, then running totals with -1, last `(n, n)`; an
 *   empty stream gives `(0, 0)` only.
 */
export function prepareUpload(
  body: ExchangeBody | null,
  send: boolean,
  onProgress: (sent: number, total: number) => void,
): Upload {
  if (body === null) return NO_UPLOAD;
  if (body.kind !== "stream") {
    const total = fixedBodySize(body);
    return {
      body: send ? (body.kind === "blob" ? body.blob : body.bytes as Uint8Array<ArrayBuffer>) : undefined,
      streaming: false,
      atRequestSent: total > 0 ? [[0, total], [total, total]] : [[0, 0]],
    };
  }
  // Progress starts when the runtime first pulls, after any connection or TLS
  // failure would have been reported.
  let started = false;
  const report = (sent: number, total: number): void => {
    if (!started && total !== 0) onProgress(0, -1);
    started = true;
    onProgress(sent, total);
  };
  return {
    body: body.stream.pipeThrough(countingStream({
      onChunk: (sent) => sent > 0 && report(sent, -1),
      onEnd: (sent) => report(sent, sent),
    })),
    streaming: true,
    atRequestSent: [],
  };
}
