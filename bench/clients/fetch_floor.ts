/**
 * The floor under any fetch-based client that keeps netreply's contract: the
 * runtime's `fetch` called with what that contract needs and nothing else —
 * `redirect: "manual"` (the manager follows redirects itself), an abort
 * signal (`abort()`, timeouts), the `Accept-Encoding` netreply sends, and the
 * body read through its stream reader rather than `bytes()` (which loses the
 * bytes received when a body is cut short, and shows nothing of a stalled
 * one) — a small body of known length with one "byob" read of that length,
 * the cheapest streaming read Deno offers; a streamed body counted through a
 * `TransformStream`, as netreply counts download progress. No events, no
 * state machine: what is left between this row and netreply's is netreply's
 * own cost, and a target this row misses is out of reach for any client that
 * keeps the contract on the runtime's fetch (`bench/floor_breakdown.ts`
 * takes the floor apart, one requirement at a time).
 *
 * @module
 */

import { countingStream } from "../../src/transport/counting_stream.ts";
import { type BenchClient, checkOk, drain } from "./client.ts";

/** The floor's row name in the results. */
export const FETCH_FLOOR = "fetch floor";

/** What netreply's fetch transport asks for on Deno (the codings it can decode). */
export const ACCEPT_ENCODING = "br, gzip, deflate";

/**
 * Creates the fetch-floor client.
 *
 * @returns The client.
 */
export function fetchFloorClient(): BenchClient {
  const request = async (url: string): Promise<Response> => {
    const controller = new AbortController();
    const response = await fetch(url, {
      redirect: "manual",
      signal: controller.signal,
      headers: [["accept-encoding", ACCEPT_ENCODING]],
    });
    checkOk(response, url);
    return response;
  };
  // Counted as netreply counts download progress: the body through a TransformStream.
  const get = async (url: string): Promise<number> =>
    drain((await request(url)).body!.pipeThrough(countingStream(() => {})));
  return {
    name: FETCH_FLOOR,
    note: "fetch floor: raw fetch with netreply's fetch options (redirect: manual, an abort signal, " +
      "Accept-Encoding), the body read through its stream reader and a streamed body counted through a " +
      "TransformStream; no events",
    reportsProgress: { download: false, upload: false },
    async smallGet(url) {
      const response = await request(url);
      const length = Number(response.headers.get("content-length"));
      const reader = response.body!.getReader({ mode: "byob" });
      let read = 0;
      while (read < length) {
        const { done, value } = await reader.read(new Uint8Array(length - read));
        if (done) break;
        read += value.byteLength;
      }
      await reader.cancel();
      return read;
    },
    download: get,
    decodedDownload: get,
    async upload(url, body) {
      const controller = new AbortController();
      const response = await fetch(url, {
        method: "POST",
        body,
        redirect: "manual",
        signal: controller.signal,
      });
      checkOk(response, url);
      return Number(await response.text());
    },
  };
}
