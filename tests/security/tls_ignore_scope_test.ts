/**
 * What `reply.ignoreSslErrors()` lets through, against a real https server
 * with a self-signed certificate. Socket transport: only the reply that
 * called it, only the errors it listed (kind and certificate), and a
 * connection accepted that way is never pooled, so the next reply of the
 * same manager meets the certificate again. Fetch transport: certificate
 * errors cannot be ignored at all; the reply fails whatever it asked.
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, SslError, SslErrorKind } from "../../mod.ts";
import { serveHttps } from "../support/servers.ts";

// Reading the peer chain of a refused certificate goes through node:tls, which needs --allow-sys.
const canInspect = (await Deno.permissions.query({ name: "sys" })).state === "granted";

/** A self-signed https server that records the client port of every request it answers. */
function selfSignedServer() {
  const ports: number[] = [];
  const server = serveHttps((_request, info) => {
    ports.push(info.remoteAddr.port);
    return new Response("secure");
  }, { certificate: "selfsigned" });
  return { server, ports };
}

Deno.test({
  name:
    "[socket] ignoreSslErrors covers its own reply and its listed errors only; that connection is never reused",
  ignore: !canInspect,
  async fn() {
    const { server, ports } = selfSignedServer();
    await using _ = server;
    await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });

    // 1. The errors, ignored from the reply's sslErrors listener.
    const first = nam.get(server.url);
    let seen: readonly SslError[] = [];
    first.addEventListener("sslErrors", (event) => {
      seen = event.errors;
      first.ignoreSslErrors(event.errors);
    });
    assert.equal(await first.text(), "secure");
    assert.ok(seen.some((error) => error.kind === SslErrorKind.SelfSignedCertificate));
    assert.ok(seen.every((error) => error.certificate !== undefined));

    // 2. The next reply of the same manager did not ask: refused, not served over the first connection.
    const second = nam.get(server.url);
    await second.done;
    assert.equal(second.error(), NetworkError.SslHandshakeFailedError);
    assert.match(second.errorString(), /^SSL handshake failed: /);
    assert.equal(second.readAll().length, 0);

    // 3. Other errors than the certificate's own (another kind, or the right kind without the certificate).
    for (
      const listed of [
        [new SslError(SslErrorKind.HostNameMismatch, seen[0].certificate)],
        seen.map((error) => new SslError(error.kind)),
      ]
    ) {
      const reply = nam.get(server.url);
      reply.ignoreSslErrors(listed);
      await reply.done;
      assert.equal(reply.error(), NetworkError.SslHandshakeFailedError, reply.errorString());
    }

    // 4. The exact errors, listed before the handshake, and ignoreSslErrors() for all: each a new connection.
    for (const listed of [seen, undefined]) {
      const reply = nam.get(server.url);
      reply.ignoreSslErrors(listed);
      assert.equal(await reply.text(), "secure");
    }
    assert.equal(ports.length, 3);
    assert.equal(new Set(ports).size, 3, "a connection accepted by ignoring errors was reused");
  },
});

Deno.test("[fetch] certificate errors cannot be ignored: ignoreSslErrors() still ends in SslHandshakeFailedError", async () => {
  const { server, ports } = selfSignedServer();
  await using _ = server;
  await using nam = new NetworkAccessManager({ transport: "fetch", proxy: null });
  const reply = nam.get(server.url);
  reply.ignoreSslErrors();
  let sslErrorsEvents = 0;
  reply.addEventListener("sslErrors", () => {
    sslErrorsEvents++;
    reply.ignoreSslErrors();
  });
  await reply.done;
  assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
  assert.equal(sslErrorsEvents, 1);
  assert.equal(reply.readAll().length, 0);
  assert.deepEqual(ports, []);
});
