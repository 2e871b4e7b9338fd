import assert from "node:assert/strict";
import * as tls from "node:tls";
import { NetworkError } from "../../src/core/network_error.ts";
import { denoSocketOpener } from "../../src/transport/sockets/deno_socket_opener.ts";
import { nodeSocketOpener } from "../../src/transport/sockets/node_socket_opener.ts";
import { classifyStreamError, type SocketOpener } from "../../src/transport/sockets/socket_opener.ts";
import { caCertificate, clientCertificate, serverCertificate } from "../support/servers.ts";

/** A node:tls server on loopback that requires a client certificate signed by the test CA. */
async function serveMutualTls(): Promise<{ port: number } & AsyncDisposable> {
  const server = tls.createServer({
    ...serverCertificate("localhost"),
    ca: [caCertificate()],
    requestCert: true,
    rejectUnauthorized: true,
  }, (socket) => socket.end(`peer:${socket.getPeerCertificate().subject?.CN}`));
  server.on("tlsClientError", () => {});
  const connections = new Set<tls.TLSSocket>();
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    port: (server.address() as { port: number }).port,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        for (const socket of connections) socket.destroy();
      }),
  };
}

for (const opener of [denoSocketOpener, nodeSocketOpener] as readonly SocketOpener[]) {
  for (const presented of [true, false]) {
    Deno.test(`${opener.name} connectTls mutual TLS: ${presented ? "the client certificate is accepted" : "no client certificate is an SSL error"}`, async () => {
      await using server = await serveMutualTls();
      const { cert, key } = clientCertificate();
      const outcome = await opener.connectTls({
        hostname: "localhost",
        port: server.port,
        signal: new AbortController().signal,
        tls: {
          serverName: "localhost",
          alpnProtocols: ["http/1.1"],
          inspectFailures: false,
          caCertificates: [caCertificate()],
          ...(presented ? { localCertificate: cert, privateKey: key } : {}),
        },
      });
      assert.equal(outcome.kind, "verified");
      try {
        await outcome.stream.write(new TextEncoder().encode("hello"));
        if (presented) {
          assert.equal(
            new TextDecoder().decode((await outcome.stream.read()) ?? undefined),
            "peer:netreply client",
          );
        } else {
          // TLS 1.3: the client's handshake is over before the server refuses, so the refusal comes with a read.
          const error = classifyStreamError(
            await outcome.stream.read().then(() => assert.fail("read"), (e) => e),
          );
          assert.equal(error.code, NetworkError.SslHandshakeFailedError);
          assert.match(error.message, /^SSL handshake failed: received fatal alert: CertificateRequired/);
        }
      } finally {
        outcome.stream.close();
      }
    });
  }
}
