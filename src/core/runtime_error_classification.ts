/**
 * {@linkcode classifyRuntimeError}: turns what a runtime's `fetch` threw into
 * a {@linkcode NetworkError} code, a Qt-style message and, for certificate
 * failures, the {@linkcode SslError}s the runtime's text names.
 *
 * Pure and table-driven. Runtimes only say what went wrong in free text or in
 * error codes, so each row names the runtime and the exact text or code it
 * was written from (each runtime's messages as measured):
 *
 * - Deno: `TypeError("fetch failed")` whose `cause.message` carries hyper's and
 *   rustls' text (`tcp connect error: Connection refused`, `dns error: …`,
 *   `invalid peer certificate: UnknownIssuer`, `unsuccessful tunnel`, …);
 *   body failures are a bare `TypeError("error reading a body from connection")`,
 *   the same for a connection that closed before the end of the body and for
 *   a body whose framing did not parse (an invalid chunk size line, a chunk
 *   without its CRLF), measured against raw loopback servers: the message
 *   says both; a refused permission is `NotCapable`.
 * - Node (undici) and Bun: an OpenSSL / libuv / undici `code` on the error or
 *   its cause (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`, …).
 * - workerd: messages that say nothing ("Network connection lost.",
 *   "internal error; reference = …"), classified by phase.
 *
 * Certificate kinds follow Qt's `QSslError` names. rustls and OpenSSL do not
 * always mean the same thing, so some rows are the closest match:
 * - rustls `UnknownIssuer` → `UnableToGetLocalIssuerCertificate`: rustls says
 *   it for an untrusted CA and for an untrusted self-signed CA:FALSE leaf alike
 *   (OpenSSL would say `SelfSignedCertificate` for the latter).
 * - rustls `CaUsedAsEndEntity` → `SelfSignedCertificate`: rustls says it for a
 *   leaf with CA:TRUE, which in practice is a certificate made by
 *   `openssl req -x509`; Qt (OpenSSL) reports such a server as self-signed.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { classifyRuntimeError } from "./runtime_error_classification.ts";
 * import { NetworkError } from "./network_error.ts";
 * const error = new TypeError("fetch failed", {
 *   cause: new Error("client error (Connect): tcp connect error: Connection refused (os error 111)"),
 * });
 * const result = classifyRuntimeError({ error, phase: "request", url: new URL("http://127.0.0.1:9/") });
 * equal(result.code, NetworkError.ConnectionRefusedError);
 * equal(result.message, "Connection refused");
 * ```
 *
 * @module
 */

import { NetworkError } from "./network_error.ts";
import { defaultErrorString } from "./network_error_messages.ts";
import { SslError } from "./ssl.ts";
import { SslErrorKind } from "./ssl_error_kind.ts";

/** When a failure happened: before the response head arrived, or while reading the body. */
export type FailurePhase = "request" | "body";

/** A runtime failure and what the transport knew when it happened. */
export interface RuntimeFailure {
  /** What the runtime threw (or the rejection reason). */
  readonly error: unknown;
  /** Before the response head (`"request"`) or while reading the body (`"body"`). */
  readonly phase: FailurePhase;
  /** The URL of the exchange. */
  readonly url: URL;
  /** The explicit proxy of the exchange, if any (`null`/`undefined`: none known). */
  readonly proxy?: URL | null;
  /**
   * The content-coding the runtime itself is decoding in the body (e.g.
   * `"gzip"`), if any: a body failure that is not a connection failure is
   * then a decoding failure.
   */
  readonly runtimeDecoding?: string;
}

/** The outcome of {@linkcode classifyRuntimeError}. */
export interface ClassifiedFailure {
  /** The Qt error code. */
  readonly code: NetworkError;
  /** A Qt-style error string, naming the host, value or flag involved. */
  readonly message: string;
  /** For certificate failures: the errors the runtime's text names (no certificates: fetch cannot see them). */
  readonly sslErrors?: readonly SslError[];
}

/** What the rows look at: every name, code and message along the `cause` chain. */
interface ErrorFacts {
  readonly names: readonly string[];
  readonly codes: readonly string[];
  readonly messages: readonly string[];
  /** The most specific message: the innermost non-empty one, without Deno's request prefix. */
  readonly detail: string;
}

interface Context {
  readonly failure: RuntimeFailure;
  readonly facts: ErrorFacts;
}

interface Row {
  /** Which runtime(s) the row was written from, for readers of the table. */
  readonly source: string;
  readonly names?: readonly string[];
  readonly codes?: readonly string[];
  /** Substrings (or patterns) of any message in the cause chain. */
  readonly messages?: readonly (string | RegExp)[];
  readonly phase?: FailurePhase;
  readonly classify: (context: Context) => ClassifiedFailure;
}

// rustls' CertificateError, as Deno prints it after "invalid peer certificate: "
// (Display for the variants that carry context, Debug for the rest). First match wins.
const rustlsCertificateKinds: readonly (readonly [RegExp, SslErrorKind])[] = [
  [/^UnknownIssuer\b/, SslErrorKind.UnableToGetLocalIssuerCertificate],
  [/CaUsedAsEndEntity/, SslErrorKind.SelfSignedCertificate],
  [/^certificate not valid for name\b|^NotValidForName\b/, SslErrorKind.HostNameMismatch],
  [/^certificate expired\b|^Expired\b/, SslErrorKind.CertificateExpired],
  [/^certificate not valid yet\b|^NotValidYet\b/, SslErrorKind.CertificateNotYetValid],
  [/^certificate revoked\b|^Revoked\b/, SslErrorKind.CertificateRevoked],
  [/^BadSignature\b|^UnsupportedSignatureAlgorithm/, SslErrorKind.CertificateSignatureFailed],
  [/^InvalidPurpose\b/, SslErrorKind.InvalidPurpose],
  [/^UnknownRevocationStatus\b/, SslErrorKind.CertificateStatusUnknown],
  [/PathLenConstraintViolated/, SslErrorKind.PathLengthExceeded],
];

// OpenSSL verify codes as Node (undici) and Bun expose them in `code`.
const opensslCertificateKinds: ReadonlyMap<string, SslErrorKind> = new Map<string, SslErrorKind>([
  ["UNABLE_TO_GET_ISSUER_CERT", SslErrorKind.UnableToGetIssuerCertificate],
  ["UNABLE_TO_DECRYPT_CERT_SIGNATURE", SslErrorKind.UnableToDecryptCertificateSignature],
  ["UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", SslErrorKind.UnableToDecodeIssuerPublicKey],
  ["CERT_SIGNATURE_FAILURE", SslErrorKind.CertificateSignatureFailed],
  ["CERT_NOT_YET_VALID", SslErrorKind.CertificateNotYetValid],
  ["CERT_HAS_EXPIRED", SslErrorKind.CertificateExpired],
  ["ERROR_IN_CERT_NOT_BEFORE_FIELD", SslErrorKind.InvalidNotBeforeField],
  ["ERROR_IN_CERT_NOT_AFTER_FIELD", SslErrorKind.InvalidNotAfterField],
  ["DEPTH_ZERO_SELF_SIGNED_CERT", SslErrorKind.SelfSignedCertificate],
  ["SELF_SIGNED_CERT_IN_CHAIN", SslErrorKind.SelfSignedCertificateInChain],
  ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", SslErrorKind.UnableToGetLocalIssuerCertificate],
  ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", SslErrorKind.UnableToVerifyFirstCertificate],
  ["CERT_REVOKED", SslErrorKind.CertificateRevoked],
  ["INVALID_CA", SslErrorKind.InvalidCaCertificate],
  ["PATH_LENGTH_EXCEEDED", SslErrorKind.PathLengthExceeded],
  ["INVALID_PURPOSE", SslErrorKind.InvalidPurpose],
  ["CERT_UNTRUSTED", SslErrorKind.CertificateUntrusted],
  ["CERT_REJECTED", SslErrorKind.CertificateRejected],
  ["ERR_TLS_CERT_ALTNAME_INVALID", SslErrorKind.HostNameMismatch],
  ["HOSTNAME_MISMATCH", SslErrorKind.HostNameMismatch],
]);

const RUSTLS_CERTIFICATE_PREFIX = "invalid peer certificate: ";

function withProxy(
  context: Context,
  direct: ClassifiedFailure,
  viaProxy: (proxy: URL) => ClassifiedFailure,
): ClassifiedFailure {
  const proxy = context.failure.proxy;
  return proxy ? viaProxy(proxy) : direct;
}

function sslFailure(errors: readonly SslError[], detail: string): ClassifiedFailure {
  const what = errors.length > 0 ? `${errors.map((e) => e.message).join("; ")} (${detail})` : detail;
  return errors.length > 0
    ? {
      code: NetworkError.SslHandshakeFailedError,
      message: `SSL handshake failed: ${what}`,
      sslErrors: errors,
    }
    : { code: NetworkError.SslHandshakeFailedError, message: `SSL handshake failed: ${what}` };
}

function rustlsCertificateFailure({ facts }: Context): ClassifiedFailure {
  const text = facts.messages.find((m) => m.includes(RUSTLS_CERTIFICATE_PREFIX)) ?? facts.detail;
  const detail = text.slice(text.indexOf(RUSTLS_CERTIFICATE_PREFIX));
  const reason = detail.slice(RUSTLS_CERTIFICATE_PREFIX.length);
  const kind = rustlsCertificateKinds.find(([pattern]) => pattern.test(reason))?.[1] ??
    SslErrorKind.UnspecifiedError;
  return sslFailure([new SslError(kind)], detail);
}

function opensslCertificateFailure({ facts }: Context): ClassifiedFailure {
  const kinds = facts.codes.map((code) => opensslCertificateKinds.get(code)).filter((k) => k !== undefined);
  return sslFailure([new SslError(kinds[0] ?? SslErrorKind.UnspecifiedError)], facts.detail);
}

// "Requires net access to "127.0.0.1:8080", run again with the --allow-net flag"
const DENO_PERMISSION = /Requires (\w+) access to "([^"]*)"/;

function permissionDenied({ failure, facts }: Context): ClassifiedFailure {
  const match = facts.messages.map((m) => DENO_PERMISSION.exec(m)).find((m) => m !== null);
  const kind = match?.[1] ?? "net";
  if (kind !== "net") {
    const what = match?.[2] ?? "";
    const flag = what ? `--allow-${kind}=${what}` : `--allow-${kind}`;
    return {
      code: NetworkError.PermissionDeniedError,
      message: `${capitalize(kind)} access to "${what}" was denied by the runtime: run with ${flag}`,
    };
  }
  // Name the host as the URL (or proxy) writes it: "--allow-net=127.0.0.1" also
  // covers the default port that Deno's own message spells out.
  const denied = match?.[2].toLowerCase() ?? "";
  const proxy = failure.proxy;
  const target = proxy && hostOf(denied) === proxy.hostname && hostOf(denied) !== failure.url.hostname
    ? proxy
    : failure.url;
  return {
    code: NetworkError.PermissionDeniedError,
    message: `Net access to "${target.host}" was denied by the runtime: run with --allow-net=${target.host}`,
  };
}

function hostOf(hostAndPort: string): string {
  return hostAndPort.replace(/:\d+$/, "");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A failure worded with Qt's plain text for its code. */
function plain(code: NetworkError): ClassifiedFailure {
  return { code, message: defaultErrorString(code) };
}

const connectionClosed: ClassifiedFailure = plain(NetworkError.RemoteHostClosedError);

function hostNotFound(context: Context): ClassifiedFailure {
  return withProxy(
    context,
    { code: NetworkError.HostNotFoundError, message: `Host ${context.failure.url.hostname} not found` },
    (proxy) => ({
      code: NetworkError.ProxyNotFoundError,
      message: `Proxy server ${proxy.hostname} not found`,
    }),
  );
}

function connectionRefused(context: Context): ClassifiedFailure {
  return withProxy(
    context,
    plain(NetworkError.ConnectionRefusedError),
    (proxy) => ({
      code: NetworkError.ProxyConnectionRefusedError,
      message: `Connection to proxy ${proxy.host} refused`,
    }),
  );
}

function tunnelRefused({ failure }: Context): ClassifiedFailure {
  const proxy = failure.proxy ? `Proxy ${failure.proxy.host}` : "The proxy";
  return {
    code: NetworkError.UnknownProxyError,
    message: `${proxy} did not open a tunnel to ${failure.url.host} ` +
      "(fetch hides the proxy's status, e.g. 407: the socket transport reports it)",
  };
}

function proxyAuthenticationRequired({ failure }: Context): ClassifiedFailure {
  const proxy = failure.proxy ? `Proxy ${failure.proxy.host}` : "The proxy";
  return {
    code: NetworkError.ProxyAuthenticationRequiredError,
    message: `${proxy} requires authentication (fetch takes proxy credentials only from the proxy URL)`,
  };
}

// What Deno's gzip (flate2) and br decoders say when the encoded data stops
// before its end; Deno's "deflate" (zlib) says "unexpected end of file" too.
const TRUNCATED_ENCODING: readonly string[] = ["unexpected end of file", "reached unexpected EOF"];

function decodingFailed({ failure, facts }: Context): ClassifiedFailure {
  if (facts.messages.some((message) => TRUNCATED_ENCODING.includes(message))) {
    const coding = failure.runtimeDecoding ?? "encoded";
    return {
      code: NetworkError.UnknownContentError,
      message: `Decompression failed: the ${coding} body is truncated (${facts.detail})`,
    };
  }
  return { code: NetworkError.UnknownContentError, message: `Decompression failed: ${facts.detail}` };
}

/**
 * Deno (hyper) fails a body read with one bodiless message whether the peer
 * closed before the end of the body or the body's framing did not parse, so
 * the message names both. The code stays RemoteHostClosedError, as for every
 * other body cut short.
 */
const bodyReadFailed: ClassifiedFailure = {
  code: NetworkError.RemoteHostClosedError,
  message: "Connection closed before the end of the body, or the body's framing was invalid " +
    "(the runtime reports both alike)",
};

function byPhase({ failure, facts }: Context): ClassifiedFailure {
  return failure.phase === "request"
    ? { code: NetworkError.UnknownNetworkError, message: facts.detail }
    : { code: NetworkError.RemoteHostClosedError, message: `Connection closed: ${facts.detail}` };
}

/** The table, first match wins. Order matters where texts overlap (TLS before refusal, etc.). */
const rows: readonly Row[] = [
  {
    source: "Deno: the runtime refused the permission",
    names: ["NotCapable"],
    classify: permissionDenied,
  },
  {
    source: "Deno 2: PermissionDenied is an OS EACCES, not a runtime permission",
    names: ["PermissionDenied"],
    classify: ({ facts }) => ({ code: NetworkError.UnknownNetworkError, message: facts.detail }),
  },
  {
    source: "web platform: AbortSignal.timeout()",
    names: ["TimeoutError"],
    classify: () => plain(NetworkError.TimeoutError),
  },
  {
    source: "web platform: AbortController.abort()",
    names: ["AbortError"],
    classify: () => plain(NetworkError.OperationCanceledError),
  },
  {
    source: "Deno (rustls): certificate verification",
    messages: [RUSTLS_CERTIFICATE_PREFIX],
    classify: rustlsCertificateFailure,
  },
  {
    source: "Node (undici), Bun: OpenSSL verify codes",
    codes: [...opensslCertificateKinds.keys()],
    classify: opensslCertificateFailure,
  },
  {
    source: "Deno: Deno.createHttpClient rejected the PEM of caCertificates, localCertificate or privateKey",
    messages: [
      "Unable to add pem file to certificate store",
      "Unable to decode certificate",
      "No keys found in key data",
      "keys may not be consistent",
    ],
    classify: ({ facts }) => sslFailure([], `the TLS configuration was rejected: ${facts.detail}`),
  },
  {
    source: "Deno (rustls): handshake failures without a certificate verdict (e.g. TLS to a plain-HTTP port)",
    messages: [
      "received corrupt message",
      "received fatal alert",
      "peer is incompatible",
      "peer misbehaved",
      "peer sent no certificates",
      "handshake not complete",
    ],
    classify: ({ facts }) => sslFailure([], facts.detail),
  },
  {
    source: "Node, Bun: OpenSSL handshake failures",
    codes: ["ERR_SSL_WRONG_VERSION_NUMBER", "EPROTO", "ERR_SSL_PACKET_LENGTH_TOO_LONG"],
    messages: [/^ERR_SSL_/, /SSL routines/],
    classify: ({ facts }) => sslFailure([], facts.detail),
  },
  {
    source: 'Deno (hyper): the proxy answered CONNECT with "HTTP/1.1 407"',
    messages: ["proxy authentication required"],
    classify: proxyAuthenticationRequired,
  },
  {
    source: "Deno (hyper): the proxy answered CONNECT with another status (or an HTTP/1.0 407)",
    messages: ["unsuccessful tunnel"],
    classify: tunnelRefused,
  },
  {
    source: "Deno, Node, Bun: connection refused",
    names: ["ConnectionRefused"],
    codes: ["ECONNREFUSED", "ConnectionRefused"],
    messages: ["Connection refused"],
    classify: connectionRefused,
  },
  {
    source: "Deno, Node, Bun: name resolution",
    codes: ["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA"],
    messages: ["dns error", "failed to lookup address information"],
    classify: hostNotFound,
  },
  {
    source: "Deno, Node, Bun: timeouts below fetch (socket, undici connect/headers/body)",
    names: ["TimedOut"],
    codes: ["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"],
    classify: () => plain(NetworkError.TimeoutError),
  },
  {
    source:
      "Deno (hyper): a body read failed: a close before the body's end, or chunked framing that did not parse",
    messages: ["error reading a body from connection"],
    classify: () => bodyReadFailed,
  },
  {
    source: "Deno (hyper), Node (undici), Bun: the peer closed or reset the connection",
    names: ["ConnectionReset", "ConnectionAborted", "BrokenPipe", "UnexpectedEof"],
    codes: [
      "UND_ERR_SOCKET",
      "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
      "ECONNRESET",
      "EPIPE",
      "ECONNABORTED",
      "ConnectionClosed",
    ],
    messages: [
      "connection closed before message completed",
      "connection reset",
      "Connection reset by peer",
      "broken pipe",
      "other side closed",
    ],
    classify: () => connectionClosed,
  },
  {
    source:
      "Deno (hyper), Node (llhttp): the response head does not parse as HTTP (status line, header, framing fields)",
    codes: ["HPE_INVALID_CONSTANT", "HPE_INVALID_VERSION", "HPE_INVALID_STATUS", "HPE_INVALID_HEADER_TOKEN"],
    messages: [
      /invalid HTTP (version|status|header)/,
      /(invalid|unexpected) (content-length|transfer-encoding) parsed/,
      "message head is too large",
      /^HPE_/,
    ],
    classify: ({ facts }) => ({
      code: NetworkError.ProtocolFailure,
      message: `Data corrupted: ${facts.detail}`,
    }),
  },
  {
    source: "Deno (flate2, brotli), Node (zlib), Bun: the runtime's own body decoding",
    phase: "body",
    codes: [
      "Z_DATA_ERROR",
      "Z_BUF_ERROR",
      "ERR_BROTLI_DECOMPRESSION_FAILED",
      "ZlibError",
      "BrotliDecompressionError",
    ],
    messages: [
      "Invalid gzip header",
      "CRC computed does not match",
      "deflate decompression error",
      "unexpected end of file",
      "reached unexpected EOF",
      "error decoding response body",
      "incorrect header check",
    ],
    classify: decodingFailed,
  },
  {
    source: "workerd: messages that do not say what happened",
    messages: ["Network connection lost", /^internal error/],
    classify: byPhase,
  },
];

const MAX_CAUSE_DEPTH = 8;

function collectFacts(error: unknown): ErrorFacts {
  const names: string[] = [];
  const codes: string[] = [];
  const messages: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_CAUSE_DEPTH || value === null || value === undefined || seen.has(value)) return;
    seen.add(value);
    if (typeof value !== "object") {
      messages.push(String(value));
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.name === "string") names.push(record.name);
    if (typeof record.code === "string") codes.push(record.code);
    if (typeof record.message === "string" && record.message !== "") messages.push(record.message);
    visit(record.cause, depth + 1);
    // AggregateError (undici's happy-eyeballs connect) keeps the attempts in `errors`.
    if (Array.isArray(record.errors)) { for (const inner of record.errors) visit(inner, depth + 1); }
  };
  visit(error, 0);
  return { names, codes, messages, detail: runtimeDetail(messages) };
}

// Deno: "error sending request for url (http://h/): client error (Connect): tcp connect error: …"
const DENO_REQUEST_PREFIX = /^error sending request\b.*?: client error \([^)]*\): /s;

function runtimeDetail(messages: readonly string[]): string {
  const innermost = messages.length > 0 ? messages[messages.length - 1] : "Unknown error";
  return innermost.replace(DENO_REQUEST_PREFIX, "");
}

function matches(row: Row, facts: ErrorFacts, phase: FailurePhase): boolean {
  if (row.phase !== undefined && row.phase !== phase) return false;
  if (row.names?.some((name) => facts.names.includes(name))) return true;
  if (row.codes?.some((code) => facts.codes.includes(code))) return true;
  return row.messages?.some((pattern) =>
    facts.messages.some((message) =>
      typeof pattern === "string" ? message.includes(pattern) : pattern.test(message)
    )
  ) ?? false;
}

/**
 * Classifies a failure of a runtime's `fetch` (the call, or reading the body)
 * into a {@linkcode NetworkError} code, a Qt-style message and, for
 * certificate failures, {@linkcode SslError}s without certificates.
 *
 * Anything no row recognises is `UnknownNetworkError` with the runtime's own
 * text. A body failure while the runtime decodes the body that is not a
 * connection failure is `UnknownContentError` ("Decompression failed: …").
 *
 * @param failure The thrown value, the phase, the URL and the proxy of the exchange.
 * @returns The code, message and (for certificate failures) SSL errors.
 * @example Deno's certificate failure
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { classifyRuntimeError } from "./runtime_error_classification.ts";
 * import { NetworkError } from "./network_error.ts";
 * import { SslErrorKind } from "./ssl_error_kind.ts";
 * const error = new TypeError("fetch failed", {
 *   cause: new Error("client error (Connect): invalid peer certificate: UnknownIssuer"),
 * });
 * const result = classifyRuntimeError({ error, phase: "request", url: new URL("https://localhost:8443/") });
 * equal(result.code, NetworkError.SslHandshakeFailedError);
 * equal(result.sslErrors?.[0].kind, SslErrorKind.UnableToGetLocalIssuerCertificate);
 * ```
 */
export function classifyRuntimeError(failure: RuntimeFailure): ClassifiedFailure {
  const facts = collectFacts(failure.error);
  const context: Context = { failure, facts };
  const row = rows.find((candidate) => matches(candidate, facts, failure.phase));
  if (row) return row.classify(context);
  if (failure.phase === "body" && failure.runtimeDecoding !== undefined) return decodingFailed(context);
  return { code: NetworkError.UnknownNetworkError, message: facts.detail };
}
