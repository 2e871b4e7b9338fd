/**
 * The pool keeps one timer for all its idle connections (armed for the
 * earliest deadline and re-armed by each sweep), not one per release: each
 * connection must still expire exactly `idleTimeout` ms after its own last
 * release, whatever the other connections do and however often it was
 * reused.
 */

import assert from "node:assert/strict";
import { ConnectionPool } from "../../src/transport/socket/connection_pool.ts";
import { withFakeClock } from "../support/fake_clock.ts";

class FakeConnection {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const live = () => new AbortController().signal;

async function opened(pool: ConnectionPool<FakeConnection>, key: string): Promise<FakeConnection> {
  assert.equal(await pool.acquire(key, live()), undefined);
  const connection = new FakeConnection();
  pool.register(key, connection);
  return connection;
}

Deno.test("a reused connection expires idleTimeout after its last release, not its first", async () => {
  await withFakeClock(async (clock) => {
    const pool = new ConnectionPool<FakeConnection>({ maxPerKey: 1, idleTimeout: 1_000 });
    const a = await opened(pool, "k");
    pool.release("k", a);
    await clock.tickAsync(600);
    assert.equal(await pool.acquire("k", live()), a);
    pool.release("k", a); // idle again at 600: expires at 1 600
    await clock.tickAsync(999); // 1 599: the sweep armed for 1 000 ran and found nothing due
    assert.equal(a.closed, false);
    assert.equal(pool.idleCount, 1);
    await clock.tickAsync(1);
    assert.equal(a.closed, true);
    assert.equal(pool.idleCount, 0);
    assert.equal(clock.countTimers(), 0, "no idle connection left: the sweep is not re-armed");
    pool.close();
  });
});

Deno.test("idle connections of several keys and idle timeouts each expire on their own deadline", async () => {
  await withFakeClock(async (clock) => {
    const pool = new ConnectionPool<FakeConnection>({ maxPerKey: 2, idleTimeout: 1_000 });
    const [long, short, other] = [await opened(pool, "k"), await opened(pool, "k"), await opened(pool, "j")];
    pool.release("k", long, 5_000);
    pool.release("k", short, 200); // earlier than the sweep armed for `long`: the sweep moves up
    await clock.tickAsync(100);
    pool.release("j", other); // 1 100
    await clock.tickAsync(100); // 200
    assert.deepEqual([long.closed, short.closed, other.closed], [false, true, false]);
    await clock.tickAsync(899); // 1 099
    assert.equal(other.closed, false);
    await clock.tickAsync(1); // 1 100
    assert.deepEqual([long.closed, other.closed], [false, true]);
    await clock.tickAsync(3_899); // 4 999
    assert.equal(long.closed, false);
    await clock.tickAsync(1); // 5 000
    assert.equal(long.closed, true);
    assert.equal(pool.idleCount, 0);
    // Their slots are free again.
    assert.equal(await pool.acquire("k", live()), undefined);
    assert.equal(await pool.acquire("j", live()), undefined);
    pool.close();
  });
});

Deno.test("clearIdle() and close() leave no idle timer behind", async () => {
  await withFakeClock(async (clock) => {
    const pool = new ConnectionPool<FakeConnection>({ maxPerKey: 1, idleTimeout: 1_000 });
    const a = await opened(pool, "k");
    pool.release("k", a);
    assert.equal(clock.countTimers(), 1);
    pool.clearIdle();
    assert.equal(a.closed, true);
    assert.equal(clock.countTimers(), 0);
    const b = await opened(pool, "k");
    pool.release("k", b);
    pool.close();
    assert.equal(b.closed, true);
    assert.equal(clock.countTimers(), 0);
  });
});
