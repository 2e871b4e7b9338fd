/**
 * The retry layer driven directly, its output checked against the Transport
 * contract (checkedTransport around the layer, and around the transport it
 * wraps): a discarded attempt leaves one `retry` event and nothing it would
 * repeat; a hidden TLS question of a later attempt is still answered; abort
 * and return() during the wait settle at once.
 */

import assert from "node:assert/strict";
import { NetworkError, SslError, SslErrorKind, type Transport } from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { resolveRetryOptions } from "../../src/core/retry_policy.ts";
import { retryLayer } from "../../src/policy/retry_layer.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { withFakeClock } from "../support/fake_clock.ts";

/** The retry layer over `inner`, both checked against the contract. */
function retrying(inner: Transport): Transport {
  const checkedInner = checkedTransport(inner);
  return checkedTransport({
    name: `retrying ${inner.name}`,
    exchange: retryLayer().wrap((request, signal) => checkedInner.exchange(request, signal)),
    close: () => checkedInner.close(),
  });
}

const NOW = { backoff: { baseDelay: 0 } };

Deno.test("retry layer: a POST over TLS, 503 then 200: the second attempt shows only its response", async () => {
  const mock = new MockTransport();
  const sslErrors = [new SslError(SslErrorKind.SelfSignedCertificate)];
  const tls = { connecting: true, sslErrors, encrypted: {} };
  mock.intercept().reply(503, "busy", { ...tls, headers: { "retry-after": "0" } });
  mock.intercept().reply(200, "ok", tls);
  const transport = retrying(mock);
  const questions: string[] = [];
  const result = await runExchange(
    transport,
    exchangeRequest("https://retry.test/", {
      method: "POST",
      body: { kind: "bytes", bytes: new TextEncoder().encode("hello") },
      retry: resolveRetryOptions({ ...NOW, methods: ["POST"] }),
      answer: (question) => {
        questions.push(question.kind);
        return true; // every TLS error ignored
      },
    }),
  );
  assert.deepEqual(result.trace, [
    "connecting",
    `sslErrors(${SslErrorKind.SelfSignedCertificate})`,
    "encrypted",
    "uploadProgress(0,5)",
    "uploadProgress(5,5)",
    "requestSent",
    "retry",
    "responseHead(200)",
    "data",
    "end",
  ]);
  const retry = result.events.find((event) => event.type === "retry");
  assert.deepEqual(retry, {
    type: "retry",
    attempt: 2,
    delay: 0,
    status: 503,
    code: NetworkError.ServiceUnavailableError,
  });
  assert.deepEqual(questions, ["sslErrors", "sslErrors"], "the hidden question is answered too");
  assert.equal(new TextDecoder().decode(result.body), "ok");
  assert.deepEqual(mock.calls.map((call) => new TextDecoder().decode(call.body!)), ["hello", "hello"]);
  await transport.close();
});

Deno.test("retry layer: a refused connection, then a new connection that answers", async () => {
  const mock = new MockTransport();
  mock.intercept().replyWithError(NetworkError.ConnectionRefusedError, undefined, { connecting: true });
  mock.intercept().reply(200, "ok", { connecting: true });
  const transport = retrying(mock);
  const result = await runExchange(
    transport,
    exchangeRequest("http://retry.test/", { retry: resolveRetryOptions(NOW) }),
  );
  assert.deepEqual(result.trace, [
    "connecting",
    "retry",
    "connecting",
    "requestSent",
    "responseHead(200)",
    "data",
    "end",
  ]);
  await transport.close();
});

Deno.test("retry layer: without retry options the exchange passes through untouched", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(503, "busy", { headers: { "retry-after": "0" } });
  const transport = retrying(mock);
  const result = await runExchange(transport, exchangeRequest("http://retry.test/"));
  assert.deepEqual(result.trace, ["requestSent", "responseHead(503)", "data", "end"]);
  await transport.close();
});

Deno.test("retry layer: abort and return() during the wait settle at once, no timer left", () =>
  withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(503, "busy", { headers: { "retry-after": "60" } }).persist();
    const transport = retrying(mock);
    const request = exchangeRequest("http://retry.test/", { retry: resolveRetryOptions({ limit: 1 }) });

    const controller = new AbortController();
    const aborted = transport.exchange(request, controller.signal);
    for (const expected of ["requestSent", "retry"]) {
      assert.equal((await aborted.next()).value?.type, expected);
    }
    const waiting = aborted.next();
    await clock.tickAsync(1_000);
    controller.abort();
    assert.deepEqual(await waiting, { done: true, value: undefined });

    const stopped = transport.exchange(request, new AbortController().signal);
    for (const expected of ["requestSent", "retry"]) {
      assert.equal((await stopped.next()).value?.type, expected);
    }
    await stopped.return?.();

    assert.equal(clock.countTimers(), 0);
    assert.equal(mock.calls.length, 2);
    await transport.close();
  }));
