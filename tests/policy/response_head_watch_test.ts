// watchResponseHead: the head reaches the watcher once, a watcher's promise holds the head back until it
// settles, and the events pass on unchanged.

import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { watchResponseHead } from "../../src/policy/response_head_watch.ts";
import type { ExchangeEvent } from "../../src/transport/transport.ts";

function exchange(events: readonly ExchangeEvent[]): AsyncIterator<ExchangeEvent, undefined> {
  let i = 0;
  return {
    next: () =>
      Promise.resolve(
        i < events.length ? { done: false, value: events[i++] } : { done: true, value: undefined },
      ),
  };
}

const head = { status: 200, reasonPhrase: "OK", headers: new HttpHeaders() };
const inner: ExchangeEvent[] = [
  { type: "requestSent" },
  { type: "responseHead", head },
  { type: "data", bytes: new Uint8Array(1), wireBytes: 1 },
  { type: "end" },
];

Deno.test("watchResponseHead: a watcher's promise holds the head back until it settles", async () => {
  const seen: string[] = [];
  let release!: () => void;
  const events = watchResponseHead(exchange(inner), (watched) => {
    assert.equal(watched, head);
    seen.push("watched");
    return new Promise<void>((resolve) => release = resolve);
  });
  assert.equal((await events.next()).value?.type, "requestSent");
  const pending = events.next().then((step) => seen.push(step.value?.type ?? "done"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(seen, ["watched"]);
  release();
  await pending;
  assert.deepEqual(seen, ["watched", "responseHead"]);
  const rest: string[] = [];
  for (let step = await events.next(); !step.done; step = await events.next()) rest.push(step.value.type);
  assert.deepEqual(rest, ["data", "end"]);
});

Deno.test("watchResponseHead: a synchronous watcher sees the head once and passes every event on", async () => {
  let calls = 0;
  const events = watchResponseHead(exchange(inner), () => calls++);
  const types: string[] = [];
  for (let step = await events.next(); !step.done; step = await events.next()) types.push(step.value.type);
  assert.deepEqual(types, ["requestSent", "responseHead", "data", "end"]);
  assert.equal(calls, 1);
});
