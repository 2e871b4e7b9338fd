// Sequential reading of a reply (QIODevice / QNetworkReply reading): read / readAll / peek /
// readLine / canReadLine / bytesAvailable / atEnd over a body that arrived in
// several chunks, while it arrives, and after abort() / close().

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, type NetworkReply } from "../../mod.ts";
import { MockTransport } from "../../testing.ts";

const URL_ = "http://reading.test/";
/** Longer than any test: a stalled chunk waits until the reply aborts it. */
const FOREVER_MS = 3_600_000;
/** "ab\ncd" + "ef\n" + "gh": lines that span chunk boundaries. */
const CHUNKS = ["ab\ncd", "ef\n", "gh"];
const decoder = new TextDecoder();
const text = (bytes: Uint8Array): string => decoder.decode(bytes);

function events(reply: NetworkReply): string[] {
  const seen: string[] = [];
  for (
    const type of [
      "readyRead",
      "errorOccurred",
      "downloadProgress",
      "readChannelFinished",
      "finished",
    ] as const
  ) {
    reply.addEventListener(type, () => seen.push(type));
  }
  return seen;
}

/** Resolves at the first readyRead after which `bytesAvailable()` is at least `size`. */
function buffered(reply: NetworkReply, size: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (reply.bytesAvailable() < size) return;
      reply.removeEventListener("readyRead", check);
      resolve();
    };
    reply.addEventListener("readyRead", check);
  });
}

/** A finished reply holding CHUNKS unread. */
async function finishedReply(nam: NetworkAccessManager, mock: MockTransport): Promise<NetworkReply> {
  mock.intercept({ url: URL_ }).reply(200, { chunks: CHUNKS });
  const reply = nam.get(URL_);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError);
  return reply;
}

/** One step on a reply and what it must give: the returned value and bytesAvailable after it. */
type Step =
  | { readonly op: "read"; readonly max?: number; readonly gives: string }
  | { readonly op: "readAll"; readonly gives: string }
  | { readonly op: "peek"; readonly max: number; readonly gives: string }
  | { readonly op: "readLine"; readonly max?: number; readonly gives: string }
  | { readonly op: "canReadLine"; readonly gives: boolean }
  | { readonly op: "atEnd"; readonly gives: boolean };

function run(reply: NetworkReply, step: Step): string | boolean {
  switch (step.op) {
    case "read":
      return text(reply.read(step.max));
    case "readAll":
      return text(reply.readAll());
    case "peek":
      return text(reply.peek(step.max));
    case "readLine":
      return text(reply.readLine(step.max));
    case "canReadLine":
      return reply.canReadLine();
    case "atEnd":
      return reply.atEnd();
  }
}

const READING: readonly { readonly name: string; readonly steps: readonly (readonly [Step, number])[] }[] = [
  {
    name: "readAll takes every chunk at once",
    steps: [[{ op: "readAll", gives: "ab\ncdef\ngh" }, 0], [{ op: "readAll", gives: "" }, 0]],
  },
  {
    name: "read() without a size is readAll()",
    steps: [[{ op: "read", gives: "ab\ncdef\ngh" }, 0]],
  },
  {
    name: "read(n) takes n bytes across chunk boundaries",
    steps: [
      [{ op: "read", max: 3, gives: "ab\n" }, 7],
      [{ op: "read", max: 4, gives: "cdef" }, 3],
      [{ op: "read", max: 100, gives: "\ngh" }, 0],
      [{ op: "read", max: 1, gives: "" }, 0],
    ],
  },
  {
    name: "read(0) and read(-1) give nothing and consume nothing",
    steps: [[{ op: "read", max: 0, gives: "" }, 10], [{ op: "read", max: -1, gives: "" }, 10]],
  },
  {
    name: "a fractional or NaN size does not corrupt the buffer",
    steps: [
      [{ op: "read", max: 2.7, gives: "ab" }, 8],
      [{ op: "peek", max: 1.5, gives: "\n" }, 8],
      [{ op: "read", max: Number.NaN, gives: "" }, 8],
      [{ op: "readLine", max: 3.9, gives: "\n" }, 7],
      [{ op: "readAll", gives: "cdef\ngh" }, 0],
    ],
  },
  {
    name: "peek does not consume, even across chunks",
    steps: [
      [{ op: "peek", max: 7, gives: "ab\ncdef" }, 10],
      [{ op: "peek", max: 100, gives: "ab\ncdef\ngh" }, 10],
      [{ op: "peek", max: 0, gives: "" }, 10],
      [{ op: "read", max: 4, gives: "ab\nc" }, 6],
      [{ op: "peek", max: 2, gives: "de" }, 6],
    ],
  },
  {
    name: "readLine returns lines with their LF, a line may span chunks, then the unterminated rest",
    steps: [
      [{ op: "canReadLine", gives: true }, 10],
      [{ op: "readLine", gives: "ab\n" }, 7],
      [{ op: "canReadLine", gives: true }, 7],
      [{ op: "readLine", gives: "cdef\n" }, 2],
      [{ op: "canReadLine", gives: false }, 2],
      [{ op: "atEnd", gives: false }, 2],
      [{ op: "readLine", gives: "gh" }, 0],
      [{ op: "readLine", gives: "" }, 0],
      [{ op: "canReadLine", gives: false }, 0],
      [{ op: "atEnd", gives: true }, 0],
    ],
  },
  {
    name: "readLine(0) has no limit, as in Qt; a negative limit reads nothing",
    steps: [
      [{ op: "readLine", max: 0, gives: "ab\n" }, 7],
      [{ op: "readLine", max: -1, gives: "" }, 7],
      [{ op: "readLine", max: 0, gives: "cdef\n" }, 2],
    ],
  },
  {
    name: "readLine(max) stops at max bytes, before the LF",
    steps: [
      [{ op: "readLine", max: 2, gives: "ab" }, 8],
      [{ op: "readLine", max: 2, gives: "\n" }, 7],
      [{ op: "readLine", max: 3, gives: "cde" }, 4],
      [{ op: "readLine", max: 10, gives: "f\n" }, 2],
    ],
  },
  {
    name: "reads that end on chunk boundaries hand over whole chunks and their rests",
    steps: [
      [{ op: "read", max: 2, gives: "ab" }, 8],
      [{ op: "read", max: 3, gives: "\ncd" }, 5],
      [{ op: "read", max: 3, gives: "ef\n" }, 2],
      [{ op: "readAll", gives: "gh" }, 0],
    ],
  },
  {
    name: "atEnd only once everything is read",
    steps: [
      [{ op: "atEnd", gives: false }, 10],
      [{ op: "read", max: 9, gives: "ab\ncdef\ng" }, 1],
      [{ op: "atEnd", gives: false }, 1],
      [{ op: "read", max: 1, gives: "h" }, 0],
      [{ op: "atEnd", gives: true }, 0],
    ],
  },
];

for (const row of READING) {
  Deno.test(`reading a finished reply: ${row.name}`, async () => {
    const mock = new MockTransport();
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = await finishedReply(nam, mock);
    assert.equal(reply.bytesAvailable(), 10);
    for (const [i, [step, available]] of row.steps.entries()) {
      assert.deepEqual(run(reply, step), step.gives, `step ${i} (${step.op})`);
      assert.equal(reply.bytesAvailable(), available, `bytesAvailable after step ${i} (${step.op})`);
    }
  });
}

Deno.test("reading while the body arrives: bytes accumulate per readyRead, atEnd stays false", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks: CHUNKS });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const seen: string[] = [];
  reply.addEventListener("metaDataChanged", () => {
    seen.push(`meta:${reply.bytesAvailable()}:${reply.atEnd()}:${text(reply.read())}`);
  });
  reply.addEventListener("readyRead", () => {
    // Read one byte per readyRead: the rest stays for the next one.
    seen.push(`ready:${reply.bytesAvailable()}:${reply.atEnd()}:${text(reply.read(1))}`);
  });
  reply.addEventListener("finished", () => seen.push(`finished:${reply.bytesAvailable()}:${reply.atEnd()}`));
  await reply.done;
  assert.deepEqual(seen, [
    "meta:0:false:",
    "ready:5:false:a",
    "ready:7:false:b",
    "ready:8:false:\n",
    "finished:7:false",
  ]);
  assert.equal(text(reply.readAll()), "cdef\ngh");
  assert.ok(reply.atEnd());
});

Deno.test("reading line by line inside readyRead with canReadLine", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks: ["one\ntw", "o\nthr", "ee\n"] });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const lines: string[] = [];
  reply.addEventListener("readyRead", () => {
    while (reply.canReadLine()) lines.push(text(reply.readLine()));
  });
  await reply.done;
  assert.deepEqual(lines, ["one\n", "two\n", "three\n"]);
  assert.ok(reply.atEnd());
});

Deno.test("read() after abort() gives an empty Uint8Array: unread data is dropped", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks: ["abc", "def", { data: "never", delay: FOREVER_MS }] });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const seen = events(reply);
  await buffered(reply, 6);
  assert.equal(reply.bytesAvailable(), 6);
  seen.length = 0;
  reply.abort();
  assert.deepEqual(seen, ["errorOccurred", "downloadProgress", "readChannelFinished", "finished"]);
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.errorString(), "Operation canceled");
  const bytes = reply.read();
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.byteLength, 0);
  assert.equal(reply.readAll().byteLength, 0);
  assert.equal(reply.peek(10).byteLength, 0);
  assert.equal(reply.readLine().byteLength, 0);
  assert.equal(reply.bytesAvailable(), 0);
  assert.equal(reply.canReadLine(), false);
  assert.ok(reply.atEnd());
});

Deno.test("read() after a close() before finish gives an empty Uint8Array", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks: ["abc\n", { data: "never", delay: FOREVER_MS }] });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const seen = events(reply);
  await buffered(reply, 4);
  assert.ok(reply.canReadLine());
  seen.length = 0;
  reply.close();
  assert.deepEqual(seen, ["errorOccurred", "downloadProgress", "readChannelFinished", "finished"]);
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.errorString(), "Operation canceled");
  assert.equal(reply.read().byteLength, 0);
  assert.equal(reply.bytesAvailable(), 0);
  assert.equal(reply.canReadLine(), false);
  assert.ok(reply.atEnd());
});

for (const call of ["close", "abort"] as const) {
  Deno.test(`${call}() after finish is a no-op: no events, error unchanged, data stays readable`, async () => {
    const mock = new MockTransport();
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = await finishedReply(nam, mock);
    const seen = events(reply);
    reply[call]();
    reply[call]();
    assert.deepEqual(seen, []);
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(reply.errorString(), "Unknown error");
    assert.equal(reply.bytesAvailable(), 10);
    assert.equal(text(reply.readAll()), "ab\ncdef\ngh");
  });
}

Deno.test("abort() after a failed finish keeps the first error and the error body", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(404, "gone away");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  await reply.done;
  reply.abort();
  assert.equal(reply.error(), NetworkError.ContentNotFoundError);
  assert.equal(reply.errorString(), `Error transferring ${URL_} - server replied: Not Found`);
  assert.equal(text(reply.readAll()), "gone away");
});

Deno.test("before any data: nothing to read and not atEnd", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "late").delay(5);
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  assert.equal(reply.bytesAvailable(), 0);
  assert.equal(reply.read().byteLength, 0);
  assert.equal(reply.readLine().byteLength, 0);
  assert.equal(reply.peek(4).byteLength, 0);
  assert.equal(reply.canReadLine(), false);
  assert.equal(reply.atEnd(), false);
  await reply.done;
  assert.equal(text(reply.readAll()), "late");
});

Deno.test("read() returns copies: changing them does not change what is read next", async () => {
  const mock = new MockTransport();
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = await finishedReply(nam, mock);
  const peeked = reply.peek(2);
  peeked.fill(0x7a);
  assert.equal(text(reply.read(2)), "ab");
});

Deno.test("a chunk handed over whole stays the reader's: later reads are unaffected", async () => {
  const mock = new MockTransport();
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = await finishedReply(nam, mock);
  const first = reply.read(5);
  first.fill(0x7a);
  assert.equal(text(first), "zzzzz");
  assert.equal(text(reply.readAll()), "ef\ngh");
});
