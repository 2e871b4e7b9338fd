import assert from "node:assert/strict";
import { ConnectionPool, ConnectionPoolClosedError } from "../../src/transport/socket/connection_pool.ts";
import { withFakeClock } from "../support/fake_clock.ts";

class FakeConnection {
  closed = false;
  constructor(readonly id: number) {}
  close(): void {
    this.closed = true;
  }
}

const live = () => new AbortController().signal;

function pool(maxPerKey = 2, idleTimeout = 1000): ConnectionPool<FakeConnection> {
  return new ConnectionPool<FakeConnection>({ maxPerKey, idleTimeout });
}

Deno.test("waiters get freed connections in FIFO order", async () => {
  const connections = pool(1);
  assert.equal(await connections.acquire("k", live()), undefined);
  const a = new FakeConnection(1);
  connections.register("k", a);
  const order: number[] = [];
  const first = connections.acquire("k", live()).then((c) => order.push(1) && c);
  const second = connections.acquire("k", live()).then((c) => order.push(2) && c);
  connections.release("k", a);
  assert.equal(await first, a);
  connections.discard("k", a);
  assert.equal(await second, undefined); // a slot: open a new one
  assert.deepEqual(order, [1, 2]);
  connections.close();
});

Deno.test("idle connections are reused most recent first; a closed idle one is skipped", async () => {
  const connections = pool(3);
  const [a, b] = [new FakeConnection(1), new FakeConnection(2)];
  for (const c of [a, b]) {
    assert.equal(await connections.acquire("k", live()), undefined);
    connections.register("k", c);
  }
  connections.release("k", a);
  connections.release("k", b);
  b.closed = true; // the peer closed it while idle
  assert.equal(await connections.acquire("k", live()), a);
  assert.equal(await connections.acquire("k", live()), undefined);
  connections.close();
});

Deno.test("a fresh acquire never takes an idle connection and closes one to make room", async () => {
  const connections = pool(1);
  const a = new FakeConnection(1);
  await connections.acquire("k", live());
  connections.register("k", a);
  connections.release("k", a);
  assert.equal(await connections.acquire("k", live(), true), undefined);
  assert.equal(a.closed, true);
  connections.close();
});

Deno.test("keys are independent", async () => {
  const connections = pool(1);
  assert.equal(await connections.acquire("a", live()), undefined);
  assert.equal(await connections.acquire("b", live()), undefined);
  connections.close();
});

Deno.test("an aborted waiter leaves the queue with the signal's reason", async () => {
  const connections = pool(1);
  await connections.acquire("k", live());
  const controller = new AbortController();
  const waiting = connections.acquire("k", controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  connections.discard("k");
  assert.equal(await connections.acquire("k", live()), undefined);
  connections.close();
});

Deno.test("close() closes idle and busy connections and rejects waiters and later acquires", async () => {
  const connections = pool(1);
  const [busy, idle] = [new FakeConnection(1), new FakeConnection(2)];
  await connections.acquire("k", live());
  connections.register("k", busy);
  await connections.acquire("j", live());
  connections.register("j", idle);
  connections.release("j", idle);
  const waiting = connections.acquire("k", live());
  connections.close();
  assert.equal(busy.closed, true);
  assert.equal(idle.closed, true);
  await assert.rejects(waiting, ConnectionPoolClosedError);
  await assert.rejects(connections.acquire("k", live()), { message: "The connection pool is closed" });
  connections.release("k", busy);
  assert.equal(connections.idleCount, 0);
});

Deno.test("idle expiry closes the connection and frees its slot for a waiter", async () => {
  await withFakeClock(async (clock) => {
    const connections = pool(1, 120_000);
    const a = new FakeConnection(1);
    await connections.acquire("k", live());
    connections.register("k", a);
    connections.release("k", a);
    await clock.tickAsync(119_999);
    assert.equal(a.closed, false);
    await clock.tickAsync(1);
    assert.equal(a.closed, true);
    assert.equal(connections.idleCount, 0);
    assert.equal(await connections.acquire("k", live()), undefined);
    connections.close();
  });
});

Deno.test("tryReserve takes a slot only when the key has room and nothing idle", () => {
  const connections = pool(1);
  assert.equal(connections.tryReserve("k"), true);
  assert.equal(connections.tryReserve("k"), false);
  connections.discard("k");
  assert.equal(connections.tryReserve("k"), true);
  connections.close();
  assert.equal(connections.tryReserve("j"), false);
});
