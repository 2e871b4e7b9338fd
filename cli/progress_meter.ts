/**
 * The download progress on stderr: a bar redrawn in place (bytes, rate, ETA)
 * when stderr is a terminal; otherwise plain lines, one at each quarter of a
 * known size and one at the end, so logs stay readable.
 *
 * @module
 */

import { NetworkError, type NetworkReply } from "../mod.ts";
import { formatBytes, formatRate, progressLine } from "./progress_bar.ts";
import type { TextSink } from "./text_sink.ts";

// A redraw at most this often (and always the last one): enough to look live.
const REDRAW_INTERVAL_MS = 100;
// The part of a terminal line after the bar (percent, sizes, rate, ETA).
const TEXT_AFTER_BAR = 52;

function barWidth(): number {
  let columns = 80;
  try {
    columns = Deno.consoleSize().columns;
  } catch {
    // Not a console after all: the default width will do.
  }
  return Math.max(10, Math.min(30, columns - TEXT_AFTER_BAR - 2));
}

/**
 * Shows the progress of `reply` on `sink` until the reply finishes.
 *
 * @param reply The reply (before it dispatches anything).
 * @param sink stderr; its `isTerminal` picks the bar or plain lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkAccessManager } from "../mod.ts";
 * import { MockTransport } from "../testing.ts";
 * import { showProgress } from "./progress_meter.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "x".repeat(4096));
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * let text = "";
 * showProgress(reply, { isTerminal: false, write: (t) => text += t });
 * await reply.bytes();
 * assert.match(text, /received 4\.0 KiB in/);
 * ```
 */
export function showProgress(reply: NetworkReply, sink: TextSink): void {
  const startedAt = performance.now();
  const width = sink.isTerminal ? barWidth() : 0;
  let received = 0;
  let total = -1;
  let drawnAt = -Infinity;
  let nextQuarter = 1;

  const line = (): string => {
    const elapsedMs = performance.now() - startedAt;
    return progressLine({ received, total, elapsedMs }, width);
  };
  reply.addEventListener("downloadProgress", (event) => {
    received = event.bytesReceived;
    total = event.bytesTotal;
    const now = performance.now();
    if (sink.isTerminal) {
      if (now - drawnAt < REDRAW_INTERVAL_MS) return;
      drawnAt = now;
      sink.write(`\r\x1b[2K${line()}`);
      return;
    }
    // Quarters 1 to 3 only: the last line says everything about the end.
    while (total > 0 && nextQuarter <= 3 && received >= (total * nextQuarter) / 4) {
      nextQuarter++;
      if (received < total) sink.write(`netreply: ${line().trim()}\n`);
    }
  });
  reply.addEventListener("finished", () => {
    // A transfer that failed before any byte arrived has nothing to report; its error says it all.
    if (received === 0 && reply.error() !== NetworkError.NoError) return;
    const seconds = (performance.now() - startedAt) / 1000;
    if (sink.isTerminal) {
      sink.write(`\r\x1b[2K${line()}\n`);
    } else {
      sink.write(
        `netreply: received ${formatBytes(received)} in ${seconds.toFixed(1)} s (${
          formatRate(received / seconds)
        })\n`,
      );
    }
  });
}
