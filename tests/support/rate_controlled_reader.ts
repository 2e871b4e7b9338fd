/**
 * Qt's RateControlledReader for a {@linkcode NetworkReply}: reads at most
 * `pieceSize` bytes per turn of the event loop, and when nothing is buffered
 * waits for the next readyRead or finished — so a transport that honours
 * `setReadBufferSize()` is held back while the reader lags.
 *
 * @example
 * ```ts
 * import { NetworkAccessManager } from "../../mod.ts";
 * import { MockTransport } from "../../testing.ts";
 * import { readInPieces } from "./rate_controlled_reader.ts";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "0123456789");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * console.log(new TextDecoder().decode(await readInPieces(reply, 4))); // 0123456789
 * ```
 *
 * @module
 */

import type { NetworkReply } from "../../mod.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";

/** Resolves at the reply's next readyRead or finished. */
function nextActivity(reply: NetworkReply): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      reply.removeEventListener("readyRead", done);
      reply.removeEventListener("finished", done);
      resolve();
    };
    reply.addEventListener("readyRead", done);
    reply.addEventListener("finished", done);
  });
}

/** Reads the whole body `pieceSize` bytes at a time, one piece per macrotask; returns it joined. */
export async function readInPieces(reply: NetworkReply, pieceSize: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  while (!reply.atEnd()) {
    if (reply.bytesAvailable() === 0) {
      await nextActivity(reply);
      continue;
    }
    pieces.push(reply.read(pieceSize));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return concatBytes(pieces);
}
