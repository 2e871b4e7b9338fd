// Retries against httpbin (gunicorn): /status/503 and /status/429 retried up to the limit and then
// failing with the last answer, /status/200 untouched, a POST not retried by default, on both
// built-in transports (tests/interop/transports.ts). The backoff is 0 ms: nothing waits.
import assert from "node:assert/strict";
import { NetworkError, type NetworkReply, type RetryEvent } from "../../mod.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, httpbinReasonPhrase, interopManager } from "./transports.ts";

const suite = setupInteropServers();
const retry = { limit: 2, backoff: { baseDelay: 0 } };

function retries(reply: NetworkReply): string[] {
  const seen: string[] = [];
  reply.addEventListener("retry", (event: RetryEvent) => seen.push(`${event.attempt} ${event.status}`));
  return seen;
}

forEachTransport(suite, (transport, test) => {
  for (
    const [status, code, phrase] of [
      [503, NetworkError.ServiceUnavailableError, "Service Unavailable"],
      [429, NetworkError.UnknownContentError, "Too Many Requests"],
    ] as const
  ) {
    test(`GET /status/${status}: retried twice, then the last answer's error`, async () => {
      const { httpbin } = suite.servers();
      await using nam = interopManager(transport, { retry });
      const url = `${httpbin}/status/${status}`;
      const reply = nam.get(url);
      const seen = retries(reply);
      await reply.done;
      assert.equal(reply.error(), code);
      assert.equal(
        reply.errorString(),
        `Error transferring ${url} - server replied: ${httpbinReasonPhrase(transport, phrase)}`,
      );
      assert.deepEqual(seen, [`2 ${status}`, `3 ${status}`]);
    });
  }

  test("GET /status/200: no retry", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { retry });
    const reply = nam.get(`${httpbin}/status/200`);
    const seen = retries(reply);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError);
    assert.deepEqual(seen, []);
  });

  test("POST /status/503: not retried by default, retried when methods allow it", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { retry });
    const url = `${httpbin}/status/503`;
    const once = nam.post(url, "data");
    const none = retries(once);
    await once.done;
    assert.equal(once.error(), NetworkError.ServiceUnavailableError);
    assert.deepEqual(none, []);
    const allowed = nam.post(url, "data", { retry: { methods: ["POST"] } });
    const seen = retries(allowed);
    await allowed.done;
    assert.equal(allowed.error(), NetworkError.ServiceUnavailableError);
    assert.deepEqual(seen, ["2 503", "3 503"]);
  });
});
