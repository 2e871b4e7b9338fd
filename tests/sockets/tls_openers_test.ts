import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { NetworkError } from "../../src/core/network_error.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";
import { denoSocketOpener } from "../../src/transport/sockets/deno_socket_opener.ts";
import { nodeSocketOpener } from "../../src/transport/sockets/node_socket_opener.ts";
import {
  type SocketOpener,
  SocketOpenError,
  type TlsOptions,
  type TlsOutcome,
} from "../../src/transport/sockets/socket_opener.ts";
import { caCertificate, closedPort, pem } from "../support/servers.ts";
import { echoRoundTrip, serveTlsEcho, tlsOptions } from "./tls_server.ts";

const encoder = new TextEncoder();
const openers: readonly SocketOpener[] = [denoSocketOpener, nodeSocketOpener];

function connectTls(
  opener: SocketOpener,
  port: number,
  tls: TlsOptions,
  signal?: AbortSignal,
): Promise<TlsOutcome> {
  return opener.connectTls({
    hostname: "localhost",
    port,
    signal: signal ?? new AbortController().signal,
    tls,
  });
}

/** Subject, issuer, dates and fingerprint of a committed certificate, as the reply must show them. */
function expectedCertificate(file: string) {
  const x509 = new X509Certificate(pem(file));
  return {
    fingerprintSha256: x509.fingerprint256,
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
  };
}

for (const opener of openers) {
  Deno.test(`${opener.name} connectTls: verified with caCertificates, ALPN negotiated, round trip`, async () => {
    await using server = serveTlsEcho("localhost");
    const outcome = await connectTls(opener, server.port, tlsOptions({ caCertificates: [caCertificate()] }));
    assert.equal(outcome.kind, "verified");
    assert.equal(outcome.configuration.nextNegotiatedProtocol, "http/1.1");
    if (opener === nodeSocketOpener) {
      assert.equal(outcome.configuration.protocol, "TLSv1.3");
      assert.equal(outcome.configuration.peerCertificate?.subject, "CN=localhost,O=netreply tests");
      assert.equal(outcome.configuration.peerCertificate?.issuer, "CN=netreply test CA,O=netreply tests");
    }
    assert.equal(await echoRoundTrip(outcome.stream), "echo:ping");
  });

  Deno.test(`${opener.name} connectTls: a chain through an intermediate CA is verified`, async () => {
    await using server = serveTlsEcho("chain");
    const outcome = await connectTls(opener, server.port, tlsOptions({ caCertificates: [caCertificate()] }));
    assert.equal(outcome.kind, "verified");
    assert.equal(await echoRoundTrip(outcome.stream), "echo:ping");
  });

  Deno.test(`${opener.name} connectTls: a refused port is ConnectionRefusedError`, async () => {
    const error = await connectTls(opener, closedPort(), tlsOptions()).then(
      () => assert.fail("connected"),
      (e) => e,
    );
    assert.ok(error instanceof SocketOpenError);
    assert.equal(error.code, NetworkError.ConnectionRefusedError);
    assert.equal(error.message, "Connection refused");
  });

  Deno.test(`${opener.name} connectTls: an aborted signal rejects with its reason, before and while connecting`, async () => {
    await using server = serveTlsEcho("localhost");
    const reason = new Error("gave up");
    const before = new AbortController();
    before.abort(reason);
    await assert.rejects(connectTls(opener, server.port, tlsOptions(), before.signal), (e) => e === reason);
    const during = new AbortController();
    const pending = connectTls(
      opener,
      server.port,
      tlsOptions({ caCertificates: [caCertificate()] }),
      during.signal,
    );
    during.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    // Deno.connectTls takes no signal and goes on after the abort (its late connection is closed): let
    // the server take it, so that closing the server does not leave that connect pending. node:tls
    // destroys its socket at once.
    if (opener === denoSocketOpener) {
      for (let i = 0; i < 400 && server.accepted === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  });
}

Deno.test("deno connectTls: TLS to a plain TCP port is SslHandshakeFailedError without sslErrors", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const answering = (async () => {
    const conn = await listener.accept();
    await conn.write(encoder.encode("HTTP/1.1 400 Bad Request\r\n\r\n"));
    conn.close();
  })();
  const error = await connectTls(denoSocketOpener, listener.addr.port, tlsOptions({ inspectFailures: true }))
    .then(() => assert.fail("connected"), (e) => e);
  await answering;
  listener.close();
  assert.ok(error instanceof SocketOpenError);
  assert.equal(error.code, NetworkError.SslHandshakeFailedError);
  assert.match(error.message, /^SSL handshake failed: received corrupt message/);
  assert.equal(error.sslErrors, undefined);
});

interface FailureCase {
  /** The server's certificate (or chain) file in tests/support/certs/, without ".pem". */
  readonly certificate: string;
  /** Its key file, without "-key.pem" (default: the certificate's name). */
  readonly key?: string;
  readonly trustCa: boolean;
  /** What rustls names (Deno, inspectFailures false). */
  readonly denoKind: number;
  readonly denoMessage: RegExp;
  /** The full list, with the certificate file each error is about. */
  readonly errors: readonly (readonly [number, string])[];
}

const failures: readonly FailureCase[] = [
  {
    certificate: "notyetvalid",
    trustCa: true,
    denoKind: SslErrorKind.CertificateNotYetValid,
    denoMessage:
      /^SSL handshake failed: The certificate is not yet valid \(invalid peer certificate: certificate not valid yet/,
    errors: [[SslErrorKind.CertificateNotYetValid, "notyetvalid.pem"]],
  },
  {
    certificate: "chain",
    trustCa: false,
    denoKind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    denoMessage: /UnknownIssuer/,
    errors: [[SslErrorKind.UnableToGetLocalIssuerCertificate, "intermediate.pem"]],
  },
  {
    certificate: "chain-with-root",
    key: "chain",
    trustCa: false,
    denoKind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    denoMessage: /UnknownIssuer/,
    errors: [[SslErrorKind.SelfSignedCertificateInChain, "ca.pem"]],
  },
  {
    certificate: "wronghost",
    trustCa: true,
    denoKind: SslErrorKind.HostNameMismatch,
    denoMessage:
      /^SSL handshake failed: The host name did not match .*certificate not valid for name "localhost"/,
    errors: [[SslErrorKind.HostNameMismatch, "wronghost.pem"]],
  },
  {
    certificate: "expired",
    trustCa: true,
    denoKind: SslErrorKind.CertificateExpired,
    denoMessage:
      /^SSL handshake failed: The certificate has expired \(invalid peer certificate: certificate expired/,
    errors: [[SslErrorKind.CertificateExpired, "expired.pem"]],
  },
  {
    certificate: "selfsigned",
    trustCa: false,
    denoKind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    denoMessage:
      /^SSL handshake failed: The issuer certificate of a locally looked up certificate could not be found/,
    errors: [[SslErrorKind.SelfSignedCertificate, "selfsigned.pem"]],
  },
  {
    certificate: "selfsigned-ca",
    trustCa: false,
    denoKind: SslErrorKind.SelfSignedCertificate,
    denoMessage: /^SSL handshake failed: The certificate is self-signed, and untrusted \(.*CaUsedAsEndEntity/,
    errors: [[SslErrorKind.SelfSignedCertificate, "selfsigned-ca.pem"]],
  },
  {
    certificate: "localhost",
    trustCa: false,
    denoKind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    denoMessage: /UnknownIssuer/,
    errors: [[SslErrorKind.UnableToVerifyFirstCertificate, "localhost.pem"]],
  },
  {
    certificate: "expired",
    trustCa: false,
    // rustls checks the dates before the issuer.
    denoKind: SslErrorKind.CertificateExpired,
    denoMessage:
      /^SSL handshake failed: The certificate has expired \(invalid peer certificate: certificate expired/,
    errors: [[SslErrorKind.UnableToVerifyFirstCertificate, "expired.pem"], [
      SslErrorKind.CertificateExpired,
      "expired.pem",
    ]],
  },
  {
    certificate: "wronghost",
    trustCa: false,
    denoKind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    denoMessage: /UnknownIssuer/,
    errors: [[SslErrorKind.HostNameMismatch, "wronghost.pem"], [
      SslErrorKind.UnableToVerifyFirstCertificate,
      "wronghost.pem",
    ]],
  },
];

function caseName(c: FailureCase): string {
  return `${c.certificate}${c.trustCa ? " (CA trusted)" : ""}`;
}

for (const c of failures) {
  const caCertificates = c.trustCa ? [caCertificate()] : undefined;

  Deno.test(`deno connectTls ${caseName(c)}: kinds only when inspectFailures is false`, async () => {
    await using server = serveTlsEcho(c.certificate, c.key);
    const error = await connectTls(denoSocketOpener, server.port, tlsOptions({ caCertificates }))
      .then(() => assert.fail("connected"), (e) => e);
    assert.ok(error instanceof SocketOpenError);
    assert.equal(error.code, NetworkError.SslHandshakeFailedError);
    assert.match(error.message, c.denoMessage);
    assert.deepEqual(error.sslErrors?.map((e) => [e.kind, e.certificate]), [[c.denoKind, undefined]]);
  });

  for (const opener of openers) {
    Deno.test(`${opener.name} connectTls ${caseName(c)}: every error with its certificate, then proceed`, async () => {
      await using server = serveTlsEcho(c.certificate, c.key);
      const outcome = await connectTls(
        opener,
        server.port,
        tlsOptions({ caCertificates, inspectFailures: true }),
      );
      assert.equal(outcome.kind, "unverified");
      try {
        assert.deepEqual(
          outcome.errors.map((e) => [e.kind, e.certificate?.fingerprintSha256]),
          c.errors.map(([kind, file]) => [kind, expectedCertificate(file).fingerprintSha256]),
        );
        const leaf = outcome.configuration.peerCertificate;
        const expected = expectedCertificate(`${c.certificate}.pem`);
        assert.deepEqual(leaf?.validFrom, expected.validFrom);
        assert.deepEqual(leaf?.validTo, expected.validTo);
        assert.match(leaf?.subject ?? "", /^CN=/);
        assert.equal(leaf?.pem, new X509Certificate(pem(`${c.certificate}.pem`)).toString());
        assert.equal(outcome.configuration.protocol, "TLSv1.3");
        assert.ok(outcome.configuration.sessionCipher);
        assert.equal(await echoRoundTrip(outcome.proceed()), "echo:ping");
      } finally {
        // A failed assertion must not leave the server waiting on this connection.
        outcome.abandon();
      }
    });
  }

  Deno.test(`node connectTls ${caseName(c)}: the full list in SslHandshakeFailedError when inspectFailures is false`, async () => {
    await using server = serveTlsEcho(c.certificate, c.key);
    const error = await connectTls(nodeSocketOpener, server.port, tlsOptions({ caCertificates }))
      .then(() => assert.fail("connected"), (e) => e);
    assert.ok(error instanceof SocketOpenError);
    assert.equal(error.code, NetworkError.SslHandshakeFailedError);
    assert.equal(error.message, `SSL handshake failed: ${error.sslErrors?.map((e) => e.message).join("; ")}`);
    assert.deepEqual(error.sslErrors?.map((e) => e.kind), c.errors.map(([kind]) => kind));
  });
}

Deno.test("deno connectTls: abandon closes an unverified connection", async () => {
  await using server = serveTlsEcho("selfsigned");
  const outcome = await connectTls(denoSocketOpener, server.port, tlsOptions({ inspectFailures: true }));
  assert.equal(outcome.kind, "unverified");
  outcome.abandon();
});
