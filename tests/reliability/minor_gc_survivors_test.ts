/**
 * Finished replies must die in V8's minor collections, not wait for a full
 * one: whatever survives a scavenge is copied, and what survives two is
 * promoted to the old generation, so a reply kept alive there by the manager
 * makes every scavenge slower and fills the old generation with garbage
 * (bench/README.md, "Seventh pass": a manager that tracked its runs in a
 * long-lived `Map` kept about 840 bytes per request alive that way).
 *
 * Each check sends a batch of requests on a manager made earlier (so that
 * the manager itself is old), reads them to the end, holds them only by
 * `WeakRef`s, then runs two minor collections (needs
 * `--v8-flags=--expose-gc`, which the test:reliability task passes). Every
 * reply but the last may be kept (the manager keeps the last hop until the
 * next; last_hop_retention_test.ts), so at most one may survive. Checked on
 * a transport with no I/O of its own, so that only the manager, its layers
 * and the reply are measured, and on each built-in transport.
 */

import { ok } from "node:assert/strict";
import { FetchTransport, HttpHeaders, NetworkAccessManager, type NetworkReply } from "../../mod.ts";
import { bareTransport } from "../../bench/clients/bare_transport.ts";
import { TRANSPORTS } from "./fault_harness.ts";

type Gc = (options?: { type: "minor" | "major" }) => void;

function exposedGc(): Gc {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  return gc;
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * How many of `batch` replies to GETs of `url`, read to the end, are still
 * alive after two minor collections. A full collection goes first, and the
 * batch is small, so that no reply is promoted while the batch runs.
 */
async function survivors(nam: NetworkAccessManager, url: string, batch: number): Promise<number> {
  const gc = exposedGc();
  for (let i = 0; i < 20; i++) await nam.get(url).bytes(); // warm: the manager's first-use work is done
  gc({ type: "major" });
  const refs: WeakRef<NetworkReply>[] = [];
  for (let i = 0; i < batch; i++) {
    const reply = nam.get(url);
    await reply.bytes();
    refs.push(new WeakRef(reply));
  }
  await turn(); // a WeakRef keeps its target until the turn that made it ends
  gc({ type: "minor" });
  gc({ type: "minor" });
  await turn();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

Deno.test("minor GC survivors (manager, layers and reply): finished replies die in a minor collection", async () => {
  await using nam = new NetworkAccessManager({ transport: bareTransport(4) });
  const alive = await survivors(nam, "http://bare.test/", 40);
  ok(alive <= 1, `${alive} of 40 finished replies survived two minor collections (at most the last hop may)`);
});

Deno.test("minor GC survivors (fetch transport): the signal of a finished exchange dies in a minor collection", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("body"),
  );
  const transport = new FetchTransport();
  await using _closed = { [Symbol.asyncDispose]: () => transport.close() };
  const url = new URL(`http://127.0.0.1:${server.addr.port}/`);
  /** One exchange read to its end, on a signal of its own; returns that signal, held weakly. */
  const exchange = async (): Promise<WeakRef<AbortSignal>> => {
    const signal = new AbortController().signal;
    const events = transport.exchange({
      method: "GET",
      url,
      headers: new HttpHeaders(),
      body: null,
      decompress: true,
      decompressedSafetyCheckThreshold: -1,
      proxy: null,
      answer: () => false,
      options: { http2Allowed: true },
    }, signal);
    while (!(await events.next()).done);
    await events.return?.();
    return new WeakRef(signal);
  };
  const gc = exposedGc();
  for (let i = 0; i < 20; i++) await exchange();
  gc({ type: "major" });
  const refs: WeakRef<AbortSignal>[] = [];
  for (let i = 0; i < 40; i++) refs.push(await exchange());
  await turn();
  gc({ type: "minor" });
  gc({ type: "minor" });
  await turn();
  const alive = refs.filter((ref) => ref.deref() !== undefined).length;
  ok(alive <= 1, `${alive} of 40 exchange signals survived two minor collections`);
});

for (const transport of TRANSPORTS) {
  Deno.test(`minor GC survivors (${transport}): finished replies die in a minor collection`, async () => {
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("body"),
    );
    await using nam = new NetworkAccessManager({ proxy: null, transport });
    const alive = await survivors(nam, `http://127.0.0.1:${server.addr.port}/`, 40);
    ok(
      alive <= 1,
      `${alive} of 40 finished replies survived two minor collections (at most the last hop may)`,
    );
  });
}
