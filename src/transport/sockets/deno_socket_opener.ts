/**
 * {@linkcode denoSocketOpener}: plain and TLS byte streams on Deno, through
 * `Deno.connect`, `Deno.connectTls` and `Deno.startTls` (rustls).
 *
 * What Deno cannot do, and how this opener copes:
 * - `Deno.TlsConn` exposes only the negotiated ALPN protocol: no peer
 *   certificate, TLS version or cipher. A verified connection's
 *   configuration therefore carries only `nextNegotiatedProtocol`.
 * - rustls verification cannot be turned off per connection, and its error
 *   names one reason only. When the caller wants every error
 *   (`inspectFailures`), the handshake is done once more through `node:tls`
 *   (the Node opener), which shows the peer chain; that needs `--allow-sys`
 *   to load the default roots. Without it, the failure keeps the kind rustls
 *   named and says why the certificates are missing.
 * - `Deno.connectTls` takes no signal: an abort closes the connection as
 *   soon as it exists and rejects with the signal's reason.
 * - `Deno.connect` (2.9.6) loses the connection when its signal aborts just
 *   as the connection is made: it is given a signal that cannot throw, and
 *   a connection that arrives after the abort is closed here.
 * - `Deno.startTls` takes no client certificate: mutual TLS with a verify
 *   name other than the host (or through a proxy tunnel) is refused with a
 *   clear message.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { denoSocketOpener } from "./deno_socket_opener.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const signal = new AbortController().signal;
 * const stream = await denoSocketOpener.connect({ hostname: "127.0.0.1", port: listener.addr.port, signal });
 * const server = await listener.accept();
 * await stream.write(new TextEncoder().encode("hi"));
 * equal(await server.read(new Uint8Array(2)), 2);
 * stream.close();
 * server.close();
 * listener.close();
 * ```
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import { type SslConfiguration, SslError } from "../../core/ssl.ts";
import { abortable } from "./abortable.ts";
import { classifyConnectError, classifyStreamError, type ConnectTarget } from "./classify_stream_error.ts";
import { denoByteStream, denoConnOf } from "./deno_byte_stream.ts";
import type { ByteStream, ConnectOptions, SocketOpener, TlsOptions, TlsOutcome } from "./socket_opener.ts";
import { SocketOpenError } from "./socket_open_error.ts";

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

/**
 * A signal for `Deno.connect` that follows `signal` but never throws from
 * `throwIfAborted()`: Deno 2.9.6 calls it once more after the connection is
 * made, and an abort that lands in between throws away a connection it never
 * closes. The caller checks `signal` itself and closes a connection that
 * arrived after the abort.
 */
function connectSignal(signal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  Object.defineProperty(controller.signal, "throwIfAborted", { value: () => {} });
  return controller.signal;
}

async function connectTcp(options: ConnectOptions): Promise<Deno.TcpConn> {
  const { signal } = options;
  signal.throwIfAborted();
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({
      hostname: options.hostname,
      port: options.port,
      signal: connectSignal(signal),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw classifyConnectError(error, options);
  }
  if (signal.aborted) {
    closeQuietly(conn);
    throw signal.reason;
  }
  return conn;
}

function configurationOf(tls: TlsOptions, alpnProtocol: string | null): SslConfiguration {
  const configuration: SslConfiguration = { allowedNextProtocols: [...tls.alpnProtocols] };
  if (tls.caCertificates) configuration.caCertificates = [...tls.caCertificates];
  if (tls.localCertificate) configuration.localCertificate = tls.localCertificate;
  if (alpnProtocol) configuration.nextNegotiatedProtocol = alpnProtocol;
  return configuration;
}

function mutualTlsUnsupported(tls: TlsOptions): SocketOpenError {
  return new SocketOpenError(
    NetworkError.SslHandshakeFailedError,
    `SSL handshake failed: Deno cannot present a client certificate while verifying the name ` +
      `"${tls.serverName}" over an existing connection (Deno.startTls has no client certificate option)`,
  );
}

/** The handshake on Deno, then (on a certificate failure) the Node opener's look at the chain. */
async function handshake(
  conn: Deno.TlsConn,
  target: ConnectTarget,
  tls: TlsOptions,
  signal: AbortSignal,
  inspect: () => Promise<TlsOutcome>,
): Promise<TlsOutcome> {
  let info: Deno.TlsHandshakeInfo;
  try {
    info = await abortable(conn.handshake(), signal, () => {});
  } catch (error) {
    closeQuietly(conn);
    if (signal.aborted) throw signal.reason;
    const failure = classifyConnectError(error, target);
    if (!tls.inspectFailures || !failure.sslErrors?.length) throw failure;
    return await inspectFailure(failure, inspect);
  }
  return {
    kind: "verified",
    stream: denoByteStream(conn),
    configuration: configurationOf(tls, info.alpnProtocol),
  };
}

async function inspectFailure(
  failure: SocketOpenError,
  inspect: () => Promise<TlsOutcome>,
): Promise<TlsOutcome> {
  let outcome: TlsOutcome;
  try {
    outcome = await inspect();
  } catch (error) {
    const why = classifyStreamError(error).code === NetworkError.PermissionDeniedError
      ? "node:tls needs --allow-sys to load the default root certificates"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new SocketOpenError(
      failure.code,
      `${failure.message} (the peer's certificates could not be read: ${why})`,
      { cause: failure.cause, sslErrors: failure.sslErrors },
    );
  }
  if (outcome.kind === "unverified") return outcome;
  // OpenSSL accepted what rustls refused (e.g. a CA:TRUE self-signed leaf the caller trusts):
  // Deno's verdict stands, now with the certificate it is about.
  const leaf = outcome.configuration.peerCertificate;
  const stream = outcome.stream;
  return {
    kind: "unverified",
    errors: (failure.sslErrors ?? []).map((error) => new SslError(error.kind, leaf)),
    configuration: outcome.configuration,
    proceed: () => stream,
    abandon: () => stream.close(),
  };
}

async function inspectWithNode(
  options: ConnectOptions & { readonly tls: TlsOptions },
): Promise<TlsOutcome> {
  const { nodeSocketOpener } = await import("./node_socket_opener.ts");
  return await nodeSocketOpener.connectTls(options);
}

/**
 * The Deno opener. See the module documentation for what Deno's TLS API
 * shows and what it hides.
 *
 * @example
 * ```ts ignore
 * import { denoSocketOpener } from "./deno_socket_opener.ts";
 * const outcome = await denoSocketOpener.connectTls({
 *   hostname: "localhost", port: 8443, signal: new AbortController().signal,
 *   tls: { serverName: "localhost", alpnProtocols: ["http/1.1"], inspectFailures: false },
 * });
 * if (outcome.kind === "verified") outcome.stream.close();
 * ```
 */
export const denoSocketOpener: SocketOpener = {
  name: "deno",

  async connect(options: ConnectOptions): Promise<ByteStream> {
    return denoByteStream(await connectTcp(options));
  },

  async connectTls(options: ConnectOptions & { readonly tls: TlsOptions }): Promise<TlsOutcome> {
    const { tls, signal } = options;
    signal.throwIfAborted();
    const common = {
      caCerts: tls.caCertificates ? [...tls.caCertificates] : undefined,
      alpnProtocols: [...tls.alpnProtocols],
    };
    let conn: Deno.TlsConn;
    if (tls.serverName.toLowerCase() === options.hostname.toLowerCase()) {
      const certifiedKey = tls.localCertificate !== undefined && tls.privateKey !== undefined
        ? { cert: tls.localCertificate, key: tls.privateKey }
        : {};
      try {
        conn = await abortable(
          Deno.connectTls({ hostname: options.hostname, port: options.port, ...common, ...certifiedKey }),
          signal,
          closeQuietly,
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw classifyConnectError(error, options);
      }
    } else {
      if (tls.localCertificate !== undefined) throw mutualTlsUnsupported(tls);
      const tcp = await connectTcp(options);
      try {
        conn = await Deno.startTls(tcp, { hostname: tls.serverName, ...common });
      } catch (error) {
        closeQuietly(tcp);
        throw classifyConnectError(error, options);
      }
    }
    return await handshake(conn, options, tls, signal, () => inspectWithNode(options));
  },

  async startTls(
    stream: ByteStream,
    options: { readonly tls: TlsOptions; readonly signal: AbortSignal },
  ): Promise<TlsOutcome> {
    const { tls, signal } = options;
    signal.throwIfAborted();
    const tcp = denoConnOf(stream);
    if (tcp === undefined || !("setNoDelay" in tcp)) {
      throw new SocketOpenError(
        NetworkError.UnknownNetworkError,
        "Cannot start TLS: the stream is not a plain TCP connection opened by the Deno socket opener",
      );
    }
    if (tls.localCertificate !== undefined) throw mutualTlsUnsupported(tls);
    const target = { hostname: tls.serverName, port: 443 };
    let conn: Deno.TlsConn;
    try {
      conn = await Deno.startTls(tcp as Deno.TcpConn, {
        hostname: tls.serverName,
        caCerts: tls.caCertificates ? [...tls.caCertificates] : undefined,
        alpnProtocols: [...tls.alpnProtocols],
      });
    } catch (error) {
      stream.close();
      throw classifyConnectError(error, target);
    }
    // The tunnel is consumed by the failed handshake: the chain cannot be read again over it.
    return await handshake(conn, target, tls, signal, () => {
      throw new SocketOpenError(
        NetworkError.SslHandshakeFailedError,
        "a proxy tunnel cannot be reopened to read them",
      );
    });
  },
};
