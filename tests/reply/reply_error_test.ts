// The promise readers against real servers on loopback, on the fetch and socket transports: NetworkReplyError
// keeps the rejected reader's body (an HTTP error's included) and the runtime's error as `cause`, its message
// names the method, the URL and the code while errorString() stays Qt's; a second consuming view is a TypeError.

import assert from "node:assert/strict";
import { defaultManager, NetworkAccessManager, NetworkError, NetworkReplyError } from "../../mod.ts";
import { serveHttp } from "../support/servers.ts";

const decoder = new TextDecoder();

for (const transport of ["fetch", "socket"] as const) {
  Deno.test(`${transport}: text() on a 418 rejects with the error body kept on the error`, async () => {
    await using server = serveHttp(() => new Response("short and stout", { status: 418 }));
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    const url = new URL("/tea", server.url);
    const reply = nam.post(url, { json: { sugar: 2 } });
    const error = await reply.text().catch((error) => error);
    assert.ok(error instanceof NetworkReplyError, `got ${error}`);
    assert.equal(error.code, NetworkError.ProtocolInvalidOperationError); // Qt maps 418 so
    assert.equal(decoder.decode(error.body), "short and stout");
    assert.equal(error.reply, reply);
    assert.equal(reply.errorString(), `Error transferring ${url.href} - server replied: I'm a teapot`);
    assert.equal(
      error.message,
      `POST ${url.href} failed with ProtocolInvalidOperationError: ${reply.errorString()}`,
    );
    assert.equal(error.cause, undefined, "an HTTP error has no runtime error behind it");
    assert.equal(reply.status, 418);
    assert.equal(reply.ok, false);
    assert.equal(reply.bodyUsed, true);
  });

  Deno.test(`${transport}: a refused connection rejects json() with the runtime's error as cause`, async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${listener.addr.port}/gone`;
    listener.close();
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    const reply = nam.get(url);
    const error = await reply.json().catch((error) => error);
    assert.ok(error instanceof NetworkReplyError, `got ${error}`);
    assert.equal(error.code, NetworkError.ConnectionRefusedError);
    assert.equal(error.message, `GET ${url} failed with ConnectionRefusedError: ${reply.errorString()}`);
    assert.ok(error.cause instanceof Error, `cause: ${error.cause}`);
    assert.equal(error.body.byteLength, 0);
    assert.equal(reply.status, 0);
  });
}

for (const transport of ["fetch", "socket"] as const) {
  Deno.test(`${transport}: after text(), bytes() and the body stream are TypeErrors; bodyUsed is true`, async () => {
    await using server = serveHttp(() => new Response("once"));
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    const reply = nam.get(server.url);
    assert.equal(reply.bodyUsed, false);
    assert.equal(await reply.text(), "once");
    assert.equal(reply.bodyUsed, true);
    const message = `Cannot read the body of ${server.url.href} with bytes(): text() already consumed it`;
    await assert.rejects(reply.bytes(), { name: "TypeError", message });
    assert.throws(() => reply.body, { name: "TypeError", message: message.replace("bytes()", "body") });
  });
}

Deno.test("defaultManager: the one shared manager; its replies need no closing to leave nothing behind", async () => {
  const { defaultManager: again } = await import("../../mod.ts");
  assert.equal(again, defaultManager);
  await using server = serveHttp(() => Response.json({ ok: true }));
  const reply = defaultManager.get(server.url);
  assert.deepEqual(await reply.json(), { ok: true });
  assert.equal(reply.manager(), defaultManager);
  // The test's sanitizers fail it if the finished reply left an operation or a resource open.
});
