import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";
import { denoSocketOpener } from "../../src/transport/sockets/deno_socket_opener.ts";
import { nodeSocketOpener } from "../../src/transport/sockets/node_socket_opener.ts";
import {
  type ByteStream,
  type SocketOpener,
  SocketOpenError,
} from "../../src/transport/sockets/socket_opener.ts";
import { caCertificate } from "../support/servers.ts";
import { echoRoundTrip, serveTlsEcho, tlsOptions } from "./tls_server.ts";

const decoder = new TextDecoder();

Deno.test("deno connectTls without --allow-sys: kinds only, and the message says why", async () => {
  await using server = serveTlsEcho("selfsigned");
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--allow-net=127.0.0.1,localhost",
      "--allow-read=tests",
      new URL("./_no_sys_probe.ts", import.meta.url).pathname,
      String(server.port),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(success);
  const result = JSON.parse(decoder.decode(stdout));
  assert.equal(result.code, NetworkError.SslHandshakeFailedError);
  assert.deepEqual(result.kinds, [SslErrorKind.UnableToGetLocalIssuerCertificate]);
  assert.match(
    result.message,
    /^SSL handshake failed: .*UnknownIssuer\) \(the peer's certificates could not be read: node:tls needs --allow-sys to load the default root certificates\)$/,
  );
});

for (const opener of [denoSocketOpener, nodeSocketOpener] as readonly SocketOpener[]) {
  Deno.test(`${opener.name} connectTls: the verify name may differ from the host (peerVerifyName)`, async () => {
    await using server = serveTlsEcho("wronghost");
    const outcome = await opener.connectTls({
      hostname: "127.0.0.1",
      port: server.port,
      signal: new AbortController().signal,
      tls: tlsOptions({ serverName: "wrong.example", caCertificates: [caCertificate()] }),
    });
    assert.equal(outcome.kind, "verified");
    assert.equal(await echoRoundTrip(outcome.stream), "echo:ping");
  });

  // Deno cannot show the chain of a failed handshake over a tunnel: see the test below.
  const startTlsCases = opener === denoSocketOpener
    ? [["localhost", "verified"]] as const
    : [["localhost", "verified"], ["wronghost", "unverified"]] as const;
  for (const [certificate, expected] of startTlsCases) {
    Deno.test(`${opener.name} startTls over a plain connection (proxy tunnel): ${certificate}`, async () => {
      await using server = serveTlsEcho(certificate);
      const signal = new AbortController().signal;
      const plain = await opener.connect({ hostname: "127.0.0.1", port: server.port, signal });
      const tls = tlsOptions({ caCertificates: [caCertificate()], inspectFailures: true });
      const outcome = await opener.startTls(plain, { tls, signal }).catch((error) => {
        plain.close();
        throw error;
      });
      if (outcome.kind === "verified") {
        assert.equal(expected, "verified");
        assert.equal(await echoRoundTrip(outcome.stream), "echo:ping");
      } else {
        assert.equal(expected, "unverified");
        assert.deepEqual(outcome.errors.map((e) => e.kind), [SslErrorKind.HostNameMismatch]);
        outcome.abandon();
      }
    });
  }
}

Deno.test("deno startTls with inspectFailures: kinds only, a tunnel cannot be reopened", async () => {
  await using server = serveTlsEcho("wronghost");
  const signal = new AbortController().signal;
  const plain = await denoSocketOpener.connect({ hostname: "127.0.0.1", port: server.port, signal });
  const tls = tlsOptions({ caCertificates: [caCertificate()], inspectFailures: true });
  const error = await denoSocketOpener.startTls(plain, { tls, signal }).then(
    () => assert.fail("verified"),
    (e) => e,
  );
  assert.ok(error instanceof SocketOpenError);
  assert.equal(error.code, NetworkError.SslHandshakeFailedError);
  assert.deepEqual(error.sslErrors?.map((e) => e.kind), [SslErrorKind.HostNameMismatch]);
  assert.match(
    error.message,
    /\(the peer's certificates could not be read: a proxy tunnel cannot be reopened/,
  );
});

Deno.test("startTls refuses a stream another opener made", async () => {
  const foreign: ByteStream = {
    read: () => Promise.resolve(null),
    write: () => Promise.resolve(),
    close() {},
  };
  for (const opener of [denoSocketOpener, nodeSocketOpener]) {
    const error = await opener.startTls(foreign, { tls: tlsOptions(), signal: new AbortController().signal })
      .then(() => assert.fail("started"), (e) => e);
    assert.ok(error instanceof SocketOpenError);
    assert.equal(error.code, NetworkError.UnknownNetworkError);
    assert.match(
      error.message,
      /^Cannot start TLS: the stream is not a .*connection opened by the (Deno|Node) socket opener$/,
    );
  }
});
