/**
 * What the manager keeps of a finished request so that a full garbage
 * collection does not throw away V8's optimized code for the request path:
 * the last hop that had no request body and nothing left unread, until the
 * next such hop or `close()`. A reply with unread data, or one that sent a
 * body, is never kept (it could hold megabytes). Checked with `WeakRef`s
 * after full collections (needs `--v8-flags=--expose-gc`, which the
 * test:reliability task passes), on each transport.
 */

import { strictEqual as equal } from "node:assert/strict";
import { NetworkAccessManager, type NetworkReply } from "../../mod.ts";
import { TRANSPORTS } from "./fault_harness.ts";

/** Collects garbage on a later turn: a WeakRef read in this turn keeps its target until the turn ends. */
async function collected(ref: WeakRef<NetworkReply>): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  return ref.deref() === undefined;
}

/** The reply of `send`, read as `read` says, held only by a WeakRef. */
async function sent(
  send: () => NetworkReply,
  read: (reply: NetworkReply) => Promise<unknown>,
): Promise<WeakRef<NetworkReply>> {
  const reply = send();
  await read(reply);
  return new WeakRef(reply);
}

const readAll = (reply: NetworkReply) => reply.bytes();
const leaveUnread = (reply: NetworkReply) => reply.done;

for (const transport of TRANSPORTS) {
  Deno.test(`last hop retention (${transport}): the last GET read to the end is kept until the next one and close()`, async () => {
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("body"),
    );
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const nam = new NetworkAccessManager({ proxy: null, transport });
    try {
      const first = await sent(() => nam.get(url), readAll);
      equal(await collected(first), false, "the last hop is kept");
      const second = await sent(() => nam.get(url), readAll);
      equal(await collected(first), true, "the next hop replaces it");
      equal(await collected(second), false, "the next hop is kept");
      await nam.close();
      equal(await collected(second), true, "close() lets it go");
    } finally {
      await nam.close();
    }
  });

  Deno.test(`last hop retention (${transport}): a reply with unread data, or one that sent a body, is not kept`, async () => {
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("body"),
    );
    const url = `http://127.0.0.1:${server.addr.port}/`;
    await using nam = new NetworkAccessManager({ proxy: null, transport });
    const unread = await sent(() => nam.get(url), leaveUnread);
    equal(await collected(unread), true, "a reply holding unread data");
    const posted = await sent(() => nam.post(url, new Uint8Array(1024)), readAll);
    equal(await collected(posted), true, "a reply whose request had a body");
  });
}
