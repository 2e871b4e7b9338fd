/** Runs conformance scenarios on MockTransport. */

import { NetworkAccessManager, NetworkError } from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import type { MockChunk } from "../../testing.ts";
import type { Harness, HarnessRun } from "./harness.ts";
import type { Scenario, ServedResponse } from "./scenarios.ts";

const BASE = new URL("http://conformance.test/");
const OTHER = "http://other.test";
/** Longer than any test: a stalled mock waits until the reply aborts it. */
const FOREVER_MS = 3_600_000;

function chunksOf(served: ServedResponse): MockChunk[] {
  const chunks: MockChunk[] = [...(served.chunks ?? [])];
  if (served.ending === "truncated") chunks.push({ error: NetworkError.RemoteHostClosedError });
  if (served.ending === "stall") chunks.push({ data: "never", delay: FOREVER_MS });
  return chunks;
}

/** MockTransport: interceptors per route, persisted. */
export const mockHarness: Harness = {
  name: "mock",
  start(scenario: Scenario): Promise<HarnessRun> {
    const mock = new MockTransport();
    for (const [path, served] of Object.entries(scenario.routes)) {
      const interceptor = mock.intercept({ url: new URL(path, BASE).href });
      if ("refused" in served) {
        interceptor.replyWithError(NetworkError.ConnectionRefusedError).persist();
      } else if ("silent" in served) {
        interceptor.reply(200, "").delay(FOREVER_MS).persist();
      } else {
        const headers = (served.headers ?? []).map((
          [n, v],
        ): [string, string] => [n, v.replace("{other}", OTHER)]);
        const body = served.ending === undefined || served.ending === "complete"
          ? (served.chunks ?? []).join("") || undefined
          : { chunks: chunksOf(served) };
        const multi = served.chunks !== undefined && served.chunks.length > 1 && body !== undefined &&
          typeof body === "string";
        interceptor.reply(served.status, multi ? { chunks: chunksOf(served) } : body, {
          headers,
          reasonPhrase: served.reason,
        }).persist();
      }
    }
    // Checked against the Transport contract: a violation fails the row when the manager closes.
    const nam = new NetworkAccessManager({ transport: checkedTransport(mock) });
    return Promise.resolve({
      base: BASE,
      nam,
      methods: () => mock.calls.map((call) => call.method),
      close: () => nam.close(),
    });
  },
};
