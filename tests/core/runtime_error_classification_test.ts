import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import {
  classifyRuntimeError,
  type FailurePhase,
  type RuntimeFailure,
} from "../../src/core/runtime_error_classification.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";

const url = new URL("https://localhost:8443/path");
const BODY_READ_FAILED =
  "Connection closed before the end of the body, or the body's framing was invalid (the runtime reports both alike)";
const proxy = new URL("http://127.0.0.1:3128");

/** Deno's fetch: TypeError("fetch failed") with hyper's text in a plain Error cause. */
function denoFetchFailed(detail: string, stage = "Connect"): TypeError {
  return new TypeError("fetch failed", {
    cause: new Error(`error sending request for url (${url.href}): client error (${stage}): ${detail}`),
  });
}

function withCode(message: string, code: string, name = "Error"): Error {
  const error = new Error(message);
  Object.assign(error, { code });
  error.name = name;
  return error;
}

/** Node's undici: TypeError("fetch failed") whose cause carries the code. */
function undiciFailed(code: string, message = code): TypeError {
  return new TypeError("fetch failed", { cause: withCode(message, code) });
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface Row {
  readonly name: string;
  readonly error: unknown;
  readonly phase?: FailurePhase;
  readonly proxy?: URL;
  readonly runtimeDecoding?: string;
  readonly code: NetworkError;
  readonly message: string | RegExp;
  readonly sslKinds?: readonly SslErrorKind[];
}

const rows: readonly Row[] = [
  // Deno (Deno 2.9.6, as measured)
  {
    name: "Deno: refused",
    error: denoFetchFailed("tcp connect error: Connection refused (os error 111)"),
    code: NetworkError.ConnectionRefusedError,
    message: "Connection refused",
  },
  {
    name: "Deno: refused while a proxy is configured",
    error: denoFetchFailed("tcp connect error: Connection refused (os error 111)"),
    proxy,
    code: NetworkError.ProxyConnectionRefusedError,
    message: "Connection to proxy 127.0.0.1:3128 refused",
  },
  {
    name: "Deno: DNS",
    error: denoFetchFailed("dns error: failed to lookup address information: Name or service not known"),
    code: NetworkError.HostNotFoundError,
    message: "Host localhost not found",
  },
  {
    name: "Deno: DNS of the proxy",
    error: denoFetchFailed("dns error: failed to lookup address information: Name or service not known"),
    proxy,
    code: NetworkError.ProxyNotFoundError,
    message: "Proxy server 127.0.0.1 not found",
  },
  {
    name: "Deno: unknown issuer",
    error: denoFetchFailed("invalid peer certificate: UnknownIssuer"),
    code: NetworkError.SslHandshakeFailedError,
    message:
      "SSL handshake failed: The issuer certificate of a locally looked up certificate could not be found " +
      "(invalid peer certificate: UnknownIssuer)",
    sslKinds: [SslErrorKind.UnableToGetLocalIssuerCertificate],
  },
  {
    name: "Deno: CA:TRUE leaf",
    error: denoFetchFailed("invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))"),
    code: NetworkError.SslHandshakeFailedError,
    message:
      /^SSL handshake failed: The certificate is self-signed, and untrusted \(invalid peer certificate: Other/,
    sslKinds: [SslErrorKind.SelfSignedCertificate],
  },
  {
    name: "Deno: wrong host",
    error: denoFetchFailed(
      'invalid peer certificate: certificate not valid for name "localhost"; certificate is only valid for ' +
        'DnsName("wrong.example")',
    ),
    code: NetworkError.SslHandshakeFailedError,
    message:
      /^SSL handshake failed: The host name did not match any of the valid hosts for this certificate \(/,
    sslKinds: [SslErrorKind.HostNameMismatch],
  },
  {
    name: "Deno: expired",
    error: denoFetchFailed(
      "invalid peer certificate: certificate expired: verification time 1795745803 (UNIX), but certificate is " +
        "not valid after 1580515200 (215230603 seconds ago)",
    ),
    code: NetworkError.SslHandshakeFailedError,
    message:
      /^SSL handshake failed: The certificate has expired \(invalid peer certificate: certificate expired: /,
    sslKinds: [SslErrorKind.CertificateExpired],
  },
  {
    name: "Deno: not yet valid",
    error: denoFetchFailed(
      "invalid peer certificate: certificate not valid yet: verification time 1 (UNIX), ...",
    ),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: The certificate is not yet valid \(/,
    sslKinds: [SslErrorKind.CertificateNotYetValid],
  },
  {
    name: "Deno: rustls Debug form of an expired certificate",
    error: denoFetchFailed("invalid peer certificate: Expired"),
    code: NetworkError.SslHandshakeFailedError,
    message: /The certificate has expired/,
    sslKinds: [SslErrorKind.CertificateExpired],
  },
  {
    name: "Deno: a certificate verdict no row knows",
    error: denoFetchFailed("invalid peer certificate: BadEncoding"),
    code: NetworkError.SslHandshakeFailedError,
    message: "SSL handshake failed: Unknown error (invalid peer certificate: BadEncoding)",
    sslKinds: [SslErrorKind.UnspecifiedError],
  },
  {
    name: "Deno: TLS to a plain-HTTP port (no certificate verdict)",
    error: denoFetchFailed("received corrupt message of type InvalidContentType"),
    code: NetworkError.SslHandshakeFailedError,
    message: "SSL handshake failed: received corrupt message of type InvalidContentType",
  },
  {
    name: "Deno: a PEM createHttpClient cannot read",
    error: new TypeError("Unable to add pem file to certificate store: InvalidByte(0, 46)"),
    code: NetworkError.SslHandshakeFailedError,
    message: "SSL handshake failed: the TLS configuration was rejected: " +
      "Unable to add pem file to certificate store: InvalidByte(0, 46)",
  },
  {
    name: "Deno: a client key that does not match the certificate",
    error: namedError("TypeError", "keys may not be consistent: KeyMismatch"),
    code: NetworkError.SslHandshakeFailedError,
    message:
      "SSL handshake failed: the TLS configuration was rejected: keys may not be consistent: KeyMismatch",
  },
  {
    name: "Deno: proxy refused CONNECT",
    error: denoFetchFailed("unsuccessful tunnel"),
    proxy,
    code: NetworkError.UnknownProxyError,
    message: "Proxy 127.0.0.1:3128 did not open a tunnel to localhost:8443 " +
      "(fetch hides the proxy's status, e.g. 407: the socket transport reports it)",
  },
  {
    name: "Deno: proxy answered CONNECT with HTTP/1.1 407",
    error: denoFetchFailed("proxy authentication required"),
    proxy,
    code: NetworkError.ProxyAuthenticationRequiredError,
    message:
      "Proxy 127.0.0.1:3128 requires authentication (fetch takes proxy credentials only from the proxy URL)",
  },
  {
    name: "Deno: environment proxy refused CONNECT",
    error: denoFetchFailed("unsuccessful tunnel"),
    code: NetworkError.UnknownProxyError,
    message: /^The proxy did not open a tunnel to localhost:8443 /,
  },
  {
    name: "Deno: closed before the response",
    error: denoFetchFailed("connection closed before message completed", "SendRequest"),
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  {
    // Deno says the same for a close mid-body and for chunked framing that does not parse.
    name: "Deno: a body read failed (closed, or invalid framing)",
    error: new TypeError("error reading a body from connection"),
    phase: "body",
    code: NetworkError.RemoteHostClosedError,
    message: BODY_READ_FAILED,
  },
  {
    name: "Deno: a failed read of a body the runtime decodes is still a connection failure",
    error: new TypeError("error reading a body from connection"),
    phase: "body",
    runtimeDecoding: "gzip",
    code: NetworkError.RemoteHostClosedError,
    message: BODY_READ_FAILED,
  },
  {
    name: "Deno: not HTTP",
    error: denoFetchFailed("invalid HTTP version parsed", "SendRequest"),
    code: NetworkError.ProtocolFailure,
    message: "Data corrupted: invalid HTTP version parsed",
  },
  {
    name: "Deno: two different Content-Length values",
    error: denoFetchFailed("invalid content-length parsed", "SendRequest"),
    code: NetworkError.ProtocolFailure,
    message: "Data corrupted: invalid content-length parsed",
  },
  {
    name: "Deno: Transfer-Encoding on an HTTP/1.0 response",
    error: denoFetchFailed("unexpected transfer-encoding parsed", "SendRequest"),
    code: NetworkError.ProtocolFailure,
    message: "Data corrupted: unexpected transfer-encoding parsed",
  },
  {
    name: "Deno: a Transfer-Encoding that is not chunked last",
    error: denoFetchFailed("invalid transfer-encoding parsed", "SendRequest"),
    code: NetworkError.ProtocolFailure,
    message: "Data corrupted: invalid transfer-encoding parsed",
  },
  {
    name: "Deno: corrupt gzip the runtime decodes",
    error: new TypeError("Invalid gzip header"),
    phase: "body",
    runtimeDecoding: "gzip",
    code: NetworkError.UnknownContentError,
    message: "Decompression failed: Invalid gzip header",
  },
  {
    name: "Deno: a truncated gzip body the runtime decodes",
    error: new TypeError("unexpected end of file"),
    phase: "body",
    runtimeDecoding: "gzip",
    code: NetworkError.UnknownContentError,
    message: "Decompression failed: the gzip body is truncated (unexpected end of file)",
  },
  {
    name: "Deno: a truncated br body the runtime decodes",
    error: new TypeError("reached unexpected EOF"),
    phase: "body",
    runtimeDecoding: "br",
    code: NetworkError.UnknownContentError,
    message: "Decompression failed: the br body is truncated (reached unexpected EOF)",
  },
  {
    name: "Deno: a body failure no row knows while the runtime decodes",
    error: new TypeError("something new"),
    phase: "body",
    runtimeDecoding: "br",
    code: NetworkError.UnknownContentError,
    message: "Decompression failed: something new",
  },
  {
    name: "Deno: NotCapable names the URL's host as written",
    error: namedError(
      "NotCapable",
      'Requires net access to "127.0.0.1:8080", run again with the --allow-net flag',
    ),
    code: NetworkError.PermissionDeniedError,
    message: 'Net access to "localhost:8443" was denied by the runtime: run with --allow-net=localhost:8443',
  },
  {
    name: "Deno: NotCapable for the proxy names the proxy",
    error: namedError(
      "NotCapable",
      'Requires net access to "127.0.0.1:3128", run again with the --allow-net flag',
    ),
    proxy,
    code: NetworkError.PermissionDeniedError,
    message: 'Net access to "127.0.0.1:3128" was denied by the runtime: run with --allow-net=127.0.0.1:3128',
  },
  {
    name: "Deno: NotCapable for another permission",
    error: namedError(
      "NotCapable",
      'Requires env access to "HTTP_PROXY", run again with the --allow-env flag',
    ),
    code: NetworkError.PermissionDeniedError,
    message: 'Env access to "HTTP_PROXY" was denied by the runtime: run with --allow-env=HTTP_PROXY',
  },
  {
    name: "Deno: PermissionDenied is an OS error, not the runtime's permission",
    error: namedError("PermissionDenied", "Permission denied (os error 13)"),
    code: NetworkError.UnknownNetworkError,
    message: "Permission denied (os error 13)",
  },
  {
    name: "web: abort",
    error: new DOMException("The signal has been aborted", "AbortError"),
    code: NetworkError.OperationCanceledError,
    message: "Operation canceled",
  },
  {
    name: "web: timeout signal",
    error: new DOMException("The operation was aborted due to timeout", "TimeoutError"),
    code: NetworkError.TimeoutError,
    message: "Operation timed out",
  },
  {
    name: "Deno: a blocked port",
    error: new TypeError("Fetch failed: Requests to port 1 are blocked"),
    code: NetworkError.UnknownNetworkError,
    message: "Fetch failed: Requests to port 1 are blocked",
  },
  // Node (undici) and Bun (as measured)
  {
    name: "Node: refused",
    error: undiciFailed("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9"),
    code: NetworkError.ConnectionRefusedError,
    message: "Connection refused",
  },
  {
    name: "Node: refused through happy eyeballs (AggregateError)",
    error: new TypeError("fetch failed", {
      cause: Object.assign(
        new AggregateError([withCode("connect ECONNREFUSED ::1:9", "ECONNREFUSED")], ""),
        {},
      ),
    }),
    code: NetworkError.ConnectionRefusedError,
    message: "Connection refused",
  },
  {
    name: "Node: DNS",
    error: undiciFailed("ENOTFOUND", "getaddrinfo ENOTFOUND nohost.invalid"),
    code: NetworkError.HostNotFoundError,
    message: "Host localhost not found",
  },
  {
    name: "Node: truncated body",
    error: new TypeError("terminated", {
      cause: withCode(
        "Response body length does not match content-length header",
        "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
      ),
    }),
    phase: "body",
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  {
    name: "Node: socket closed",
    error: new TypeError("terminated", { cause: withCode("other side closed", "UND_ERR_SOCKET") }),
    phase: "body",
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  {
    name: "Node: reset",
    error: undiciFailed("ECONNRESET", "read ECONNRESET"),
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  {
    name: "Node: expired",
    error: undiciFailed("CERT_HAS_EXPIRED", "certificate has expired"),
    code: NetworkError.SslHandshakeFailedError,
    message: "SSL handshake failed: The certificate has expired (certificate has expired)",
    sslKinds: [SslErrorKind.CertificateExpired],
  },
  {
    name: "Node: wrong host",
    error: undiciFailed("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: The host name did not match/,
    sslKinds: [SslErrorKind.HostNameMismatch],
  },
  {
    name: "Node: self-signed",
    error: undiciFailed("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: The certificate is self-signed, and untrusted/,
    sslKinds: [SslErrorKind.SelfSignedCertificate],
  },
  {
    name: "Node: unable to verify the first certificate",
    error: undiciFailed("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: No certificates could be verified/,
    sslKinds: [SslErrorKind.UnableToVerifyFirstCertificate],
  },
  {
    name: "Node: self-signed in chain",
    error: undiciFailed("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: The root certificate of the certificate chain is self-signed/,
    sslKinds: [SslErrorKind.SelfSignedCertificateInChain],
  },
  {
    name: "Node: local issuer",
    error: undiciFailed("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"),
    code: NetworkError.SslHandshakeFailedError,
    message: /^SSL handshake failed: The issuer certificate of a locally looked up certificate/,
    sslKinds: [SslErrorKind.UnableToGetLocalIssuerCertificate],
  },
  {
    name: "Bun: refused (code on the error itself)",
    error: withCode("Unable to connect. Is the computer able to access the url?", "ECONNREFUSED"),
    code: NetworkError.ConnectionRefusedError,
    message: "Connection refused",
  },
  {
    name: "Bun: reset",
    error: withCode("The socket connection was closed unexpectedly.", "ECONNRESET"),
    phase: "body",
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  {
    name: "Bun: expired",
    error: withCode("certificate has expired", "CERT_HAS_EXPIRED"),
    code: NetworkError.SslHandshakeFailedError,
    message: "SSL handshake failed: The certificate has expired (certificate has expired)",
    sslKinds: [SslErrorKind.CertificateExpired],
  },
  // workerd: by phase
  {
    name: "workerd: lost before the head",
    error: new Error("Network connection lost."),
    code: NetworkError.UnknownNetworkError,
    message: "Network connection lost.",
  },
  {
    name: "workerd: lost during the body",
    error: new Error("Network connection lost."),
    phase: "body",
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed: Network connection lost.",
  },
  {
    name: "workerd: internal error before the head",
    error: new Error("internal error; reference = abc123"),
    code: NetworkError.UnknownNetworkError,
    message: "internal error; reference = abc123",
  },
  // Fallbacks
  {
    name: "unknown error: the runtime's text",
    error: new TypeError("fetch failed", { cause: new Error("something nobody planned for") }),
    code: NetworkError.UnknownNetworkError,
    message: "something nobody planned for",
  },
  {
    name: "a thrown string",
    error: "bare string",
    code: NetworkError.UnknownNetworkError,
    message: "bare string",
  },
  {
    name: "nothing at all",
    error: undefined,
    code: NetworkError.UnknownNetworkError,
    message: "Unknown error",
  },
];

for (const row of rows) {
  Deno.test(`classifyRuntimeError: ${row.name}`, () => {
    const failure: RuntimeFailure = {
      error: row.error,
      phase: row.phase ?? "request",
      url,
      proxy: row.proxy,
      runtimeDecoding: row.runtimeDecoding,
    };
    const result = classifyRuntimeError(failure);
    assert.equal(result.code, row.code);
    if (typeof row.message === "string") assert.equal(result.message, row.message);
    else assert.match(result.message, row.message);
    assert.deepEqual(result.sslErrors?.map((e) => e.kind), row.sslKinds);
    // Fetch cannot see certificates.
    assert.ok(result.sslErrors?.every((e) => e.certificate === undefined) ?? true);
  });
}

Deno.test("classifyRuntimeError: a permission message for a URL without a port names the host only", () => {
  const result = classifyRuntimeError({
    error: namedError(
      "NotCapable",
      'Requires net access to "127.0.0.1:80", run again with the --allow-net flag',
    ),
    phase: "request",
    url: new URL("http://127.0.0.1/"),
  });
  assert.equal(
    result.message,
    'Net access to "127.0.0.1" was denied by the runtime: run with --allow-net=127.0.0.1',
  );
});

Deno.test("classifyRuntimeError: an IPv6 host is bracketed in the flag", () => {
  const result = classifyRuntimeError({
    error: namedError(
      "NotCapable",
      'Requires net access to "[::1]:8080", run again with the --allow-net flag',
    ),
    phase: "request",
    url: new URL("http://[::1]:8080/"),
  });
  assert.equal(
    result.message,
    'Net access to "[::1]:8080" was denied by the runtime: run with --allow-net=[::1]:8080',
  );
});

Deno.test("classifyRuntimeError: a cyclic cause chain terminates", () => {
  const a = new Error("outer");
  const b = new Error("inner", { cause: a });
  Object.assign(a, { cause: b });
  const result = classifyRuntimeError({ error: a, phase: "request", url });
  assert.equal(result.code, NetworkError.UnknownNetworkError);
});
