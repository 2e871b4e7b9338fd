/**
 * The contract between the socket transport's HTTP/1.1 engine and the
 * runtime-specific socket openers: {@linkcode ByteStream},
 * {@linkcode SocketOpener}, {@linkcode TlsOutcome}, {@linkcode SocketOpenError}
 * and {@linkcode classifyStreamError}.
 *
 * Types only, plus the error class and its classifier: nothing here touches
 * `Deno`, `node:*` or `cloudflare:*`, so the package loads on every runtime.
 * The openers themselves come from {@linkcode loadSocketOpener} in
 * load_socket_opener.ts.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { ByteStream } from "./socket_opener.ts";
 * async function readAll(stream: ByteStream): Promise<number> {
 *   let total = 0;
 *   for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) total += chunk.length;
 *   return total;
 * }
 * equal(typeof readAll, "function");
 * ```
 *
 * @module
 */

import type { SslConfiguration, SslError } from "../../core/ssl.ts";

export { SocketOpenError } from "./socket_open_error.ts";
export { classifyStreamError } from "./classify_stream_error.ts";

/** A connected byte stream, plain TCP or TLS. */
export interface ByteStream {
  /**
   * The next bytes the peer sent, as a new Uint8Array the caller owns (no
   * copy is made after the read), or null at end of stream. Only one read at
   * a time. Rejects with the runtime's error: map it with
   * {@linkcode classifyStreamError}.
   */
  read(): Promise<Uint8Array | null>;
  /** Writes all of `bytes` (resolves when the runtime accepted them; TCP backpressure applies). */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes both directions and frees the resource. Idempotent, never throws. */
  close(): void;
}

/** How to set up TLS on a connection. */
export interface TlsOptions {
  /** Name to verify (and SNI): the URL host, or the request's peerVerifyName. */
  readonly serverName: string;
  /** Extra trusted CA certificates (PEM), added to the default roots. */
  readonly caCertificates?: readonly string[];
  /** Client certificate (PEM) for mutual TLS. */
  readonly localCertificate?: string;
  /** Client private key (PEM) for mutual TLS. */
  readonly privateKey?: string;
  /** ALPN protocols to offer; the engine passes `["http/1.1"]`. */
  readonly alpnProtocols: readonly string[];
  /**
   * When verification fails: read the peer chain and report every error so
   * the user may ignore them (true when the reply has an sslErrors listener
   * or ignoreSslErrors() was called). When false, a failed verification just
   * throws `SocketOpenError(SslHandshakeFailedError)` with the kinds the
   * runtime names.
   */
  readonly inspectFailures: boolean;
}

/** Where to connect, and the signal that cancels the attempt. */
export interface ConnectOptions {
  /** Host name or IP address (IPv6 without brackets). */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
  /** Aborting rejects the attempt with the signal's reason and closes what was opened. */
  readonly signal: AbortSignal;
}

/** The result of a TLS handshake: verified, or failed verification the user may still accept. */
export type TlsOutcome =
  | {
    readonly kind: "verified";
    /** The encrypted stream. */
    readonly stream: ByteStream;
    /** What the handshake negotiated, as far as the runtime shows it. */
    readonly configuration: SslConfiguration;
  }
  | {
    readonly kind: "unverified";
    /** Every applicable error, each with its certificate. */
    readonly errors: readonly SslError[];
    /** What was seen of the connection (peer chain, protocol, cipher). */
    readonly configuration: SslConfiguration;
    /** Continue on this connection (all errors were ignored by the user). */
    proceed(): ByteStream;
    /** Close it (the user did not ignore the errors). */
    abandon(): void;
  };

/** Opens plain and TLS byte streams on one runtime. */
export interface SocketOpener {
  /** `"deno"`, `"node"` or `"workerd"`. */
  readonly name: string;
  /**
   * Plain TCP. Rejects with a {@linkcode SocketOpenError} classified like the
   * fetch transport's failures (ConnectionRefusedError, HostNotFoundError,
   * PermissionDeniedError, …), or with the signal's reason when aborted.
   */
  connect(options: ConnectOptions): Promise<ByteStream>;
  /** TCP + TLS handshake (complete before resolving). Rejects like connect, or with SslHandshakeFailedError. */
  connectTls(options: ConnectOptions & { readonly tls: TlsOptions }): Promise<TlsOutcome>;
  /** TLS over an already open stream (https through a proxy's CONNECT tunnel). */
  startTls(
    stream: ByteStream,
    options: { readonly tls: TlsOptions; readonly signal: AbortSignal },
  ): Promise<TlsOutcome>;
}
