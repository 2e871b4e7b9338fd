/**
 * The socket transport reads a refused certificate's chain (on Deno: a
 * second handshake through node:tls) only when the user could ignore the
 * errors — an sslErrors listener on the reply or the manager, or
 * ignoreSslErrors() called — as Qt builds the full list only for its
 * sslErrors signal. Without any, the errors known from the refusal are shown
 * and the reply fails with SslHandshakeFailedError after one handshake.
 */
import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError } from "../../mod.ts";
import { serveTlsEcho } from "../sockets/tls_server.ts";

// Reading the chain through node:tls needs --allow-sys, which the test task grants.

interface Seen {
  readonly code: number;
  readonly message: string;
  readonly handshakes: number;
  readonly certificates: boolean[];
}

async function fetchSelfSigned(listen: "none" | "reply" | "manager"): Promise<Seen> {
  await using server = serveTlsEcho("selfsigned");
  await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });
  const certificates: boolean[] = [];
  const record = (event: { errors: readonly { certificate?: unknown }[] }) =>
    certificates.push(...event.errors.map((error) => error.certificate !== undefined));
  if (listen === "manager") nam.addEventListener("sslErrors", record);
  const reply = nam.get(`https://localhost:${server.port}/`);
  if (listen === "reply") reply.addEventListener("sslErrors", record);
  await reply.done;
  return { code: reply.error(), message: reply.errorString(), handshakes: server.accepted, certificates };
}

Deno.test({
  name:
    "socket: without an sslErrors listener or ignoreSslErrors(), one handshake and SslHandshakeFailedError",
  async fn() {
    const seen = await fetchSelfSigned("none");
    assert.equal(seen.code, NetworkError.SslHandshakeFailedError);
    assert.match(seen.message, /^SSL handshake failed: .*UnknownIssuer/);
    assert.equal(seen.handshakes, 1);
  },
});

for (const listen of ["reply", "manager"] as const) {
  Deno.test({
    name: `socket: an sslErrors listener on the ${listen} gets the errors with their certificate`,
    async fn() {
      const seen = await fetchSelfSigned(listen);
      assert.deepEqual(seen.certificates, [true]);
      assert.equal(seen.code, NetworkError.SslHandshakeFailedError);
      assert.equal(seen.handshakes, 2, "the refused handshake and the one that reads the chain");
    },
  });
}

Deno.test({
  name: "socket: ignoreSslErrors() called before the handshake is enough to continue, without a listener",
  async fn() {
    await using server = serveTlsEcho("selfsigned");
    await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });
    const reply = nam.get(`https://localhost:${server.port}/`);
    let encrypted = 0;
    reply.addEventListener("encrypted", () => encrypted++);
    reply.ignoreSslErrors();
    await reply.done;
    // Past TLS, the echo server's "echo:GET / ..." is no HTTP response.
    assert.equal(encrypted, 1);
    assert.equal(reply.error(), NetworkError.ProtocolFailure, reply.errorString());
    assert.equal(server.accepted, 2);
  },
});
