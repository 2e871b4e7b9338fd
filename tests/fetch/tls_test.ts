/**
 * TLS on the fetch transport: per-request CA certificates and client
 * certificates through Deno HTTP clients, and certificate failures reported
 * as sslErrors then SslHandshakeFailedError (Qt's ioGetFromHttpsWithSslErrors,
 * …WithSslHandshakeError, sslConfiguration).
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import type { SslConfiguration } from "../../src/core/ssl.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { HttpClientCache } from "../../src/transport/fetch/http_clients.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import {
  caCertificate,
  clientCertificate,
  pem,
  serveHttp,
  serveHttps,
  type ServerCertificate,
} from "../support/servers.ts";

const decoder = new TextDecoder();
const trustTestCa: SslConfiguration = { caCertificates: [caCertificate()] };

Deno.test("fetch transport TLS: the test CA passed per request is trusted", async () => {
  await using server = serveHttps(() => new Response("secure"));
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url, { sslConfiguration: trustTestCa }));
  assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
  assert.equal(decoder.decode(result.body), "secure");
  // The same configuration again reuses the client; close() closes it (or the sanitizer fails this test).
  const again = await runExchange(transport, exchangeRequest(server.url, { sslConfiguration: trustTestCa }));
  assert.equal(again.head?.status, 200);
  await transport.close();
});

Deno.test("fetch transport TLS: 127.0.0.1 matches the certificate's IP SAN", async () => {
  await using server = serveHttps(() => new Response("ip"));
  const transport = new FetchTransport();
  const url = new URL(`https://127.0.0.1:${server.port}/`);
  const result = await runExchange(transport, exchangeRequest(url, { sslConfiguration: trustTestCa }));
  assert.equal(result.head?.status, 200);
  await transport.close();
});

interface FailureCase {
  readonly certificate: ServerCertificate;
  readonly trust?: SslConfiguration;
  readonly kind: SslErrorKind;
  readonly message: string | RegExp;
}

const failures: Record<string, FailureCase> = {
  "CA-signed, CA not trusted": {
    certificate: "localhost",
    kind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    message:
      "SSL handshake failed: The issuer certificate of a locally looked up certificate could not be found " +
      "(invalid peer certificate: UnknownIssuer)",
  },
  "self-signed (CA:FALSE), not trusted": {
    certificate: "selfsigned",
    trust: trustTestCa,
    kind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    message: /^SSL handshake failed: The issuer certificate .*\(invalid peer certificate: UnknownIssuer\)$/,
  },
  "self-signed with CA:TRUE": {
    certificate: "selfsigned-ca",
    trust: { caCertificates: [pem("selfsigned-ca.pem")] },
    kind: SslErrorKind.SelfSignedCertificate,
    message: "SSL handshake failed: The certificate is self-signed, and untrusted " +
      "(invalid peer certificate: Other(OtherError(CaUsedAsEndEntity)))",
  },
  "wrong host": {
    certificate: "wronghost",
    trust: trustTestCa,
    kind: SslErrorKind.HostNameMismatch,
    message:
      "SSL handshake failed: The host name did not match any of the valid hosts for this certificate " +
      '(invalid peer certificate: certificate not valid for name "localhost"; certificate is only valid for ' +
      'DnsName("wrong.example"))',
  },
  "expired": {
    certificate: "expired",
    trust: trustTestCa,
    kind: SslErrorKind.CertificateExpired,
    message:
      /^SSL handshake failed: The certificate has expired \(invalid peer certificate: certificate expired: /,
  },
};

for (const [name, failure] of Object.entries(failures)) {
  Deno.test(`fetch transport TLS: ${name} gives sslErrors then SslHandshakeFailedError`, async () => {
    let reached = false;
    await using server = serveHttps(() => {
      reached = true;
      return new Response("unreachable");
    }, { certificate: failure.certificate });
    const transport = new FetchTransport();
    let asked = false;
    const result = await runExchange(
      transport,
      exchangeRequest(server.url, {
        sslConfiguration: failure.trust,
        answer: () => asked = true,
      }),
    );
    assert.deepEqual(result.trace, [
      `sslErrors(${failure.kind})`,
      `error(${NetworkError.SslHandshakeFailedError})`,
    ]);
    const ask = result.events.find((e) => e.type === "ask");
    assert.ok(ask?.question.kind === "sslErrors");
    assert.equal(ask.question.errors[0].certificate, undefined, "fetch cannot see the certificate");
    if (typeof failure.message === "string") assert.equal(result.error?.message, failure.message);
    else assert.match(result.error?.message ?? "", failure.message);
    assert.equal(asked, false, "fetch cannot ignore certificate errors, so it never asks");
    assert.equal(reached, false);
    await transport.close();
  });
}

Deno.test("fetch transport TLS: a self-signed CA:FALSE leaf trusted as its own anchor works", async () => {
  await using server = serveHttps(() => new Response("ok"), { certificate: "selfsigned" });
  const transport = new FetchTransport();
  const result = await runExchange(
    transport,
    exchangeRequest(server.url, { sslConfiguration: { caCertificates: [pem("selfsigned.pem")] } }),
  );
  assert.equal(result.head?.status, 200);
  await transport.close();
});

Deno.test("fetch transport TLS: https to a plain-HTTP port fails without sslErrors", async () => {
  await using server = serveHttp(() => new Response("plain"));
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(`https://127.0.0.1:${server.port}/`));
  assert.deepEqual(result.trace, [`error(${NetworkError.SslHandshakeFailedError})`]);
  assert.equal(
    result.error?.message,
    "SSL handshake failed: received corrupt message of type InvalidContentType",
  );
  await transport.close();
});

Deno.test("fetch transport TLS: a client certificate is presented through the HTTP client", async () => {
  await using server = serveHttps(() => new Response("mtls"));
  const transport = new FetchTransport();
  const { cert, key } = clientCertificate();
  const result = await runExchange(
    transport,
    exchangeRequest(server.url, {
      sslConfiguration: { caCertificates: [caCertificate()], localCertificate: cert, privateKey: key },
    }),
  );
  assert.equal(result.head?.status, 200);
  await transport.close();
});

Deno.test("fetch transport TLS: a client certificate without its key is refused", async () => {
  const transport = new FetchTransport();
  const result = await runExchange(
    transport,
    exchangeRequest("https://localhost/", {
      sslConfiguration: { localCertificate: clientCertificate().cert },
    }),
  );
  assert.equal(result.error?.code, NetworkError.SslHandshakeFailedError);
  assert.equal(
    result.error?.message,
    "SSL handshake failed: sslConfiguration.localCertificate is set without privateKey",
  );
  await transport.close();
});

Deno.test("fetch transport TLS: a CA text that holds no PEM adds no trust (Deno ignores it)", async () => {
  await using server = serveHttps(() => new Response("unreachable"));
  const transport = new FetchTransport();
  const result = await runExchange(
    transport,
    exchangeRequest(server.url, { sslConfiguration: { caCertificates: ["not a certificate"] } }),
  );
  assert.deepEqual(result.trace, [
    `sslErrors(${SslErrorKind.UnableToGetLocalIssuerCertificate})`,
    `error(${NetworkError.SslHandshakeFailedError})`,
  ]);
  await transport.close();
});

Deno.test("fetch transport TLS: a PEM Deno cannot read fails the exchange with SslHandshakeFailedError", async () => {
  const transport = new FetchTransport();
  const { cert } = clientCertificate();
  const result = await runExchange(
    transport,
    exchangeRequest("https://localhost/", {
      sslConfiguration: { localCertificate: cert, privateKey: "no key here" },
    }),
  );
  assert.deepEqual(result.trace, [`error(${NetworkError.SslHandshakeFailedError})`]);
  assert.equal(
    result.error?.message,
    "SSL handshake failed: the TLS configuration was rejected: No keys found in key data",
  );
  await transport.close();
});

Deno.test("fetch transport TLS: peerVerifyName other than the host is refused on fetch", async () => {
  const transport = new FetchTransport();
  const result = await runExchange(
    transport,
    exchangeRequest("https://127.0.0.1/", { peerVerifyName: "localhost" }),
  );
  assert.equal(result.error?.code, NetworkError.ProtocolInvalidOperationError);
  assert.equal(
    result.error?.message,
    'Cannot verify the certificate of 127.0.0.1 against peerVerifyName "localhost" over fetch: ' +
      'use the socket transport ({ transport: "socket" })',
  );
  await transport.close();
});

Deno.test("fetch transport TLS: HTTP/1.1 only, by allowedNextProtocols or Http2AllowedAttribute", async (t) => {
  // Over HTTP/2 Deno.serve sees no Host field, only :authority.
  await using server = serveHttps((request) => new Response(request.headers.has("host") ? "h1" : "h2"));
  const transport = new FetchTransport();
  const body = async (overrides: Parameters<typeof exchangeRequest>[1]) =>
    decoder.decode((await runExchange(transport, exchangeRequest(server.url, overrides))).body);
  await t.step("default: h2", async () => {
    assert.equal(await body({ sslConfiguration: trustTestCa }), "h2");
  });
  await t.step("allowedNextProtocols: http/1.1", async () => {
    assert.equal(
      await body({ sslConfiguration: { ...trustTestCa, allowedNextProtocols: ["http/1.1"] } }),
      "h1",
    );
  });
  await t.step("Http2AllowedAttribute = false", async () => {
    assert.equal(await body({ sslConfiguration: trustTestCa, options: { http2Allowed: false } }), "h1");
  });
  await t.step("no protocol fetch speaks", async () => {
    const result = await runExchange(
      transport,
      exchangeRequest(server.url, { sslConfiguration: { ...trustTestCa, allowedNextProtocols: ["spdy/3"] } }),
    );
    assert.equal(result.error?.code, NetworkError.SslHandshakeFailedError);
    assert.equal(
      result.error?.message,
      "SSL handshake failed: none of allowedNextProtocols (spdy/3) is one Deno's fetch speaks (h2, http/1.1)",
    );
  });
  await transport.close();
});

Deno.test("HttpClientCache: one client per distinct configuration, all closed by close()", () => {
  const clients = new HttpClientCache();
  const a = clients.get({ caCerts: [caCertificate()], http2: false });
  assert.equal(clients.get({ http2: false, caCerts: [caCertificate()] }), a, "key order does not matter");
  const b = clients.get({ caCerts: [caCertificate()] });
  assert.notEqual(b, a);
  assert.equal(clients.size, 2);
  clients.close();
  assert.equal(clients.size, 0);
});
