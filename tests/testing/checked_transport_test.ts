/**
 * checkedTransport: deliberately broken transports, one rule each, and the
 * well-behaved ones (MockTransport, aborts, return()) passing untouched.
 */
import assert from "node:assert/strict";
import {
  HttpHeaders,
  NetworkAccessManager,
  NetworkError,
  SslError,
  SslErrorKind,
  type Transport,
} from "../../mod.ts";
import type { ExchangeEvent, ExchangeRequest } from "../../transport.ts";
import { checkedTransport, MockTransport, TransportContractError } from "../../testing.ts";

const HEAD: ExchangeEvent = {
  type: "responseHead",
  head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders() },
};
const SENT: ExchangeEvent = { type: "requestSent" };
const END: ExchangeEvent = { type: "end" };
const DATA: ExchangeEvent = { type: "data", bytes: new Uint8Array([1]), wireBytes: 1 };
const SSL: ExchangeEvent = {
  type: "ask",
  question: { kind: "sslErrors", errors: [new SslError(SslErrorKind.SelfSignedCertificate)] },
};
const ENCRYPTED: ExchangeEvent = { type: "encrypted", configuration: {} };
const ERROR: ExchangeEvent = {
  type: "error",
  code: NetworkError.RemoteHostClosedError,
  message: "Connection closed",
};

/** A transport whose iterator hands out `results` in order, then `done` forever. */
function playing(results: readonly (ExchangeEvent | "done" | "reject")[]): Transport {
  return {
    name: "broken",
    exchange(): AsyncIterator<ExchangeEvent, undefined> {
      let i = 0;
      return {
        next(): Promise<IteratorResult<ExchangeEvent, undefined>> {
          const item = results[i++] ?? "done";
          if (item === "reject") return Promise.reject(new Error("socket exploded"));
          return Promise.resolve(
            item === "done" ? { done: true, value: undefined } : { done: false, value: item },
          );
        },
      };
    },
    close: () => Promise.resolve(),
  };
}

const request = {} as ExchangeRequest;

/** Pulls every event; resolves with the contract error the wrapper threw, if any. */
async function pullAll(transport: Transport, pulls: number): Promise<TransportContractError | undefined> {
  const events = transport.exchange(request, new AbortController().signal);
  try {
    for (let i = 0; i < pulls; i++) await events.next();
  } catch (error) {
    assert.ok(error instanceof TransportContractError, String(error));
    return error;
  }
  return undefined;
}

const BROKEN: {
  name: string;
  results: (ExchangeEvent | "done" | "reject")[];
  event: string;
  rule: string;
}[] = [
  {
    name: "data before responseHead",
    results: [SENT, DATA],
    event: "data",
    rule: "data comes only after responseHead",
  },
  {
    name: "responseHead twice",
    results: [SENT, HEAD, HEAD],
    event: "responseHead",
    rule: "responseHead comes once",
  },
  {
    name: "responseHead before requestSent",
    results: [HEAD],
    event: "responseHead",
    rule: "responseHead comes after requestSent",
  },
  {
    name: "an event after end",
    results: [SENT, HEAD, END, DATA],
    event: "data",
    rule: "no event may follow end or error",
  },
  {
    name: "an event after error",
    results: [ERROR, SENT],
    event: "requestSent",
    rule: "no event may follow end or error",
  },
  {
    name: "encrypted after requestSent",
    results: [SENT, ENCRYPTED],
    event: "encrypted",
    rule: "encrypted comes before uploads and requestSent",
  },
  {
    name: "an sslErrors question after encrypted",
    results: [ENCRYPTED, SSL],
    event: "ask",
    rule: "an sslErrors question comes before encrypted and requestSent",
  },
  {
    name: "uploadProgress after requestSent",
    results: [SENT, { type: "uploadProgress", bytesSent: 1, bytesTotal: 1 }],
    event: "uploadProgress",
    rule: "uploadProgress comes before requestSent",
  },
  {
    name: "end before responseHead",
    results: [SENT, END],
    event: "end",
    rule: "end comes only after responseHead",
  },
  {
    name: "done without end or error",
    results: [SENT, HEAD, "done"],
    event: "done",
    rule: "an exchange ends with exactly one end or error event before done",
  },
  {
    name: "next() after done not settling done",
    results: [SENT, HEAD, END, "done", DATA],
    event: "next() after done",
    rule: "next() after done must settle done again",
  },
  {
    name: "a rejected next()",
    results: ["reject"],
    event: "next()",
    rule:
      "next() must not reject; report failures as an error event (it rejected with Error: socket exploded)",
  },
  {
    name: "an unknown event type",
    results: [{ type: "sslErrors" } as unknown as ExchangeEvent],
    event: "sslErrors",
    rule: "unknown event type",
  },
];

for (const { name, results, event, rule } of BROKEN) {
  Deno.test(`checkedTransport catches ${name}`, async () => {
    const checked = checkedTransport(playing(results));
    const error = await pullAll(checked, results.length + 1);
    assert.ok(error, "the violation is reported");
    assert.equal(error.message, `Transport "broken" broke the contract at "${event}": ${rule}`);
    assert.deepEqual([error.transport, error.event, error.rule], ["broken", event, rule]);
    await assert.rejects(() => checked.close(), (closeError) => closeError === error, "close() rethrows it");
  });
}

Deno.test("checkedTransport catches a throwing exchange() and a consumer that pulls twice at once", async () => {
  const throwing = checkedTransport({
    name: "broken",
    exchange: () => {
      throw new Error("no");
    },
    close: () => Promise.resolve(),
  });
  const events = throwing.exchange(request, new AbortController().signal);
  await assert.rejects(() => events.next(), {
    name: "TransportContractError",
    message:
      'Transport "broken" broke the contract at "exchange()": exchange() must not throw (it threw Error: no)',
  });
  await assert.rejects(() => throwing.close());

  const slow = checkedTransport({
    name: "slow",
    exchange: () => ({
      next: () => new Promise((resolve) => setTimeout(() => resolve({ done: false, value: SENT }), 1)),
    }),
    close: () => Promise.resolve(),
  });
  const pulled = slow.exchange(request, new AbortController().signal);
  const first = pulled.next();
  await assert.rejects(() => pulled.next(), {
    message:
      'Transport "slow" broke the contract at "next()": the consumer called next() before the previous call settled',
  });
  await first;
  await assert.rejects(() => slow.close());
});

Deno.test("checkedTransport lets a well-behaved exchange through, and done or an error after abort/return()", async () => {
  const fine = checkedTransport(
    playing([{ type: "connecting" }, SSL, ENCRYPTED, SENT, HEAD, DATA, END, "done", "done"]),
  );
  assert.equal(await pullAll(fine, 9), undefined);
  await fine.close();

  const controller = new AbortController();
  controller.abort();
  const aborted = checkedTransport(playing([SENT, "done"]));
  const events = aborted.exchange(request, controller.signal);
  await events.next();
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  await aborted.close();

  const returned = checkedTransport(playing([SENT, HEAD, "done"]));
  const early = returned.exchange(request, new AbortController().signal);
  await early.next();
  await early.return?.();
  await early.next();
  await returned.close();
});

Deno.test("checkedTransport around MockTransport: a full manager run, forwarding name and pool calls", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://example.test/" }).reply(200, { chunks: ["a", "b"] }, {
    connecting: true,
    proxyAuthentication: { proxy: "http://proxy.test:3128" },
  });
  mock.intercept({ url: "http://example.test/gone" }).replyWithError(NetworkError.ConnectionRefusedError);
  const checked = checkedTransport(mock);
  assert.equal(checked.name, mock.name);
  await using nam = new NetworkAccessManager({ transport: checked });
  nam.addEventListener("proxyAuthenticationRequired", (event) => void (event.authenticator.user = "me"));
  assert.equal(await nam.get("http://example.test/").text(), "ab");
  const gone = nam.get("http://example.test/gone");
  await gone.done;
  assert.equal(gone.error(), NetworkError.ConnectionRefusedError);
});
