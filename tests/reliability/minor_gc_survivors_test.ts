/**
 * Finished replies must die in V8's minor collections, not wait for a full
 * one: whatever survives a scavenge is copied, and what survives two is
 * promoted to the old generation, so a reply kept alive there by the manager
 * makes every scavenge slower and fills the old generation with garbage
 * (bench/README.md, "Seventh pass": a manager that tracked its runs in a
 * long-lived `Map` kept about 840 bytes per request alive that way).
 *
 * Each check sends a batch of 40 requests on a manager made earlier (so
 * that the manager itself is old), reads them to the end, watches them with
 * a `FinalizationRegistry`, then runs two minor collections (needs
 * `--v8-flags=--expose-gc`, which the test:reliability task passes) and
 * counts what they freed. The manager keeps the last hop on purpose
 * (last_hop_retention_test.ts), and the socket transport now and then has
 * one more in flight, so up to 4 may survive; before the fix 14 of 40
 * replies and 40 of 40 exchange signals did. Checked on a transport with no
 * I/O of its own, so that only the manager, its layers and the reply are
 * measured, and on each built-in transport.
 */

import { ok } from "node:assert/strict";
import { FetchTransport, NetworkAccessManager } from "../../mod.ts";
import { bareTransport } from "../../bench/clients/bare_transport.ts";
import { exchangeOnly } from "../../bench/clients/exchange_only.ts";
import { exposedGc } from "../../bench/exposed_gc.ts";
import { TRANSPORTS } from "./fault_harness.ts";

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Counts which of the objects registered with it a collection freed. A
 * `FinalizationRegistry` keeps no object alive; a `WeakRef` keeps its target
 * until the turn that made it ends, and in repeated checks in one process we
 * saw targets of `WeakRef`s outlive minor collections that freed the same
 * objects when they were not watched.
 */
class Freed {
  #count = 0;
  readonly #registry = new FinalizationRegistry<number>(() => this.#count++);
  watch(object: object): void {
    this.#registry.register(object, 0);
  }
  /** How many watched objects were freed, once the registry's callbacks ran. */
  async count(): Promise<number> {
    for (let i = 0; i < 5; i++) await turn();
    return this.#count;
  }
}

/** How many may survive: the last hop (the manager keeps it on purpose), and slack for what is in flight at the time. */
const ALLOWED = 4;
const BATCH = 40;

/** Runs the two minor collections after a batch, on a later turn than the batch. */
async function twoMinorCollections(): Promise<void> {
  const gc = exposedGc();
  await turn();
  gc({ type: "minor" });
  gc({ type: "minor" });
}

/**
 * How many of `BATCH` replies to GETs of `url`, read to the end, are still
 * alive after two minor collections. A full collection goes first, and the
 * batch is small, so that no reply is promoted while the batch runs.
 */
async function survivingReplies(nam: NetworkAccessManager, url: string): Promise<number> {
  for (let i = 0; i < 20; i++) await nam.get(url).bytes(); // warm: the manager's first-use work is done
  exposedGc()({ type: "major" });
  const freed = new Freed();
  for (let i = 0; i < BATCH; i++) {
    const reply = nam.get(url);
    await reply.bytes();
    freed.watch(reply);
  }
  await twoMinorCollections();
  return BATCH - await freed.count();
}

Deno.test("minor GC survivors (manager, layers and reply): finished replies die in a minor collection", async () => {
  await using nam = new NetworkAccessManager({ transport: bareTransport(4) });
  const alive = await survivingReplies(nam, "http://bare.test/");
  ok(alive <= ALLOWED, `${alive} of ${BATCH} finished replies survived two minor collections`);
});

Deno.test("minor GC survivors (fetch transport): the signal of a finished exchange dies in a minor collection", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("body"),
  );
  const transport = new FetchTransport();
  await using _closed = { [Symbol.asyncDispose]: () => transport.close() };
  const url = `http://127.0.0.1:${server.addr.port}/`;
  /** One exchange read to its end, on a signal of its own; returns that signal. */
  const exchange = async (): Promise<AbortSignal> => {
    const signal = new AbortController().signal;
    await exchangeOnly(transport, url, signal);
    return signal;
  };
  for (let i = 0; i < 20; i++) await exchange();
  exposedGc()({ type: "major" });
  const freed = new Freed();
  for (let i = 0; i < BATCH; i++) freed.watch(await exchange());
  await twoMinorCollections();
  const alive = BATCH - await freed.count();
  ok(alive <= ALLOWED, `${alive} of ${BATCH} exchange signals survived two minor collections`);
});

for (const transport of TRANSPORTS) {
  Deno.test(`minor GC survivors (${transport}): finished replies die in a minor collection`, async () => {
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("body"),
    );
    await using nam = new NetworkAccessManager({ proxy: null, transport });
    const alive = await survivingReplies(nam, `http://127.0.0.1:${server.addr.port}/`);
    ok(alive <= ALLOWED, `${alive} of ${BATCH} finished replies survived two minor collections`);
  });
}
