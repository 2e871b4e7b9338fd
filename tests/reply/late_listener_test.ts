// A reply builds no event for a signal nobody listens to; that must be
// invisible: a listener added at any point hears every later signal, and one
// added and removed again changes nothing.

import assert from "node:assert/strict";
import { NetworkAccessManager } from "../../mod.ts";
import { MockTransport } from "../../testing.ts";

const URL_ = "http://late-listener.test/";

Deno.test("listeners added inside the first readyRead hear every later signal", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, {
    chunks: ["ab", { data: "cd", delay: 5 }, { data: "ef", delay: 5 }],
  });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const seen: string[] = [];
  const late = (): void => {
    reply.removeEventListener("readyRead", late);
    seen.push(`readyRead(${reply.bytesAvailable()})`);
    reply.addEventListener("readyRead", () => seen.push(`readyRead(${reply.bytesAvailable()})`));
    reply.addEventListener(
      "downloadProgress",
      (event) => seen.push(`downloadProgress(${event.bytesReceived},${event.bytesTotal})`),
    );
    reply.addEventListener("readChannelFinished", () => seen.push("readChannelFinished"));
    reply.addEventListener("finished", () => seen.push("finished"));
  };
  reply.addEventListener("readyRead", late);
  await reply.done;
  assert.equal(seen[0], "readyRead(2)");
  assert.deepEqual(seen.slice(-3), ["downloadProgress(6,6)", "readChannelFinished", "finished"]);
  assert.deepEqual(seen.filter((entry) => entry.startsWith("readyRead")), [
    "readyRead(2)",
    "readyRead(4)",
    "readyRead(6)",
  ]);
  assert.equal(new TextDecoder().decode(reply.readAll()), "abcdef");
});

Deno.test("a listener added and removed before the reply runs changes nothing", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "hello");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(URL_);
  const never = (): void => assert.fail("a removed listener was called");
  reply.addEventListener("metaDataChanged", never);
  reply.removeEventListener("metaDataChanged", never);
  const finished: string[] = [];
  nam.addEventListener("finished", () => finished.push("nam:finished"));
  reply.addEventListener("finished", () => finished.push("finished"));
  assert.equal(await reply.text(), "hello");
  assert.deepEqual(finished, ["nam:finished", "finished"]);
});
