/**
 * {@linkcode workerdSocketOpener}: plain and TLS byte streams on Cloudflare
 * Workers (workerd) through `cloudflare:sockets`.
 *
 * Every connection is opened plain (`secureTransport: "starttls"`) and TLS
 * is started on it with `startTls()`, so that a failed TCP connect and a
 * failed handshake can be told apart: with `secureTransport: "on"` workerd
 * rejects both with the same text.
 *
 * Limits of the platform, which this opener cannot work around (seen with
 * workerd 1.20261117.1 in the runtime smoke suite, tests/runtimes/):
 * - TLS is verified by workerd against its own roots plus the
 *   `trustedCertificates` of the `tlsOptions` of the network service the
 *   worker's `globalOutbound` names (workerd's config, not the request). A
 *   request's `caCertificates`, client certificates (mutual TLS) and a
 *   verify name other than the host cannot be passed, and are refused with
 *   `SslHandshakeFailedError` and a message naming what is unsupported. So a
 *   loopback server with a private CA is reachable only when the config
 *   trusts that CA. A network service without `tlsOptions` fails every
 *   handshake.
 * - No peer certificate, TLS version, cipher or ALPN result is exposed, and
 *   a failed verification is an opaque `"internal error; reference = …"`
 *   (the reason goes only to workerd's log): it becomes
 *   `SslHandshakeFailedError` with a message saying so, without `sslErrors`
 *   (nothing to ignore), and `inspectFailures` has no effect.
 * - ALPN cannot be offered; workerd speaks HTTP/1.1 over the socket anyway.
 * - A failed connect (refused, unreachable, not allowed by the network
 *   service, host not found) rejects `opened` with the same text, "proxy
 *   request failed, cannot connect to the specified address" (on port 80
 *   followed by a hint to use fetch), and no code:
 *   it stays `UnknownNetworkError` with that text, never
 *   `ConnectionRefusedError` or `HostNotFoundError`.
 *
 * @example
 * ```ts ignore
 * import { workerdSocketOpener } from "./workerd_socket_opener.ts";
 * const stream = await workerdSocketOpener.connect({
 *   hostname: "example.com", port: 80, signal: new AbortController().signal,
 * });
 * stream.close();
 * ```
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import { abortable } from "./abortable.ts";
import { classifyConnectError } from "./classify_stream_error.ts";
import type { ByteStream, ConnectOptions, SocketOpener, TlsOptions, TlsOutcome } from "./socket_opener.ts";
import { SocketOpenError } from "./socket_open_error.ts";

// The part of `cloudflare:sockets` used here (declared locally: the package ships no workerd types).
interface WorkerdSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
  startTls(options?: { expectedServerHostname?: string }): WorkerdSocket;
}
interface WorkerdSockets {
  connect(
    address: { hostname: string; port: number },
    options?: { secureTransport?: "off" | "on" | "starttls"; allowHalfOpen?: boolean },
  ): WorkerdSocket;
}

// A variable specifier keeps type checkers and bundlers for other runtimes from resolving it.
const SOCKETS_MODULE = "cloudflare:sockets";

// What a rejected handshake says: workerd's own error is "internal error; reference = …" (the
// reason only goes to workerd's log), so this names what can have gone wrong.
const HANDSHAKE_FAILED = "SSL handshake failed: workerd rejected the server's certificate or the handshake " +
  "(it trusts only its own roots and the trustedCertificates of its network service's tlsOptions, " +
  "and reports the reason only in its log)";

/** For startTls: the socket under a plain stream, the host it went to, and how to let go of its streams. */
const plainSockets = new WeakMap<
  ByteStream,
  { readonly socket: WorkerdSocket; readonly hostname: string; readonly release: () => void }
>();

/** A stream over `socket`; `plainHost` (the host connected to) when it is still plain and may be upgraded. */
function workerdByteStream(socket: WorkerdSocket, plainHost?: string): ByteStream {
  const reader = socket.readable.getReader();
  const writer = socket.writable.getWriter();
  let closed = false;
  const stream: ByteStream = {
    async read(): Promise<Uint8Array | null> {
      if (closed) return null;
      const { value, done } = await reader.read();
      return done ? null : value;
    },
    write: (bytes: Uint8Array): Promise<void> => writer.write(bytes),
    close(): void {
      if (closed) return;
      closed = true;
      closeQuietly(socket);
    },
  };
  if (plainHost === undefined) return stream;
  plainSockets.set(stream, {
    socket,
    hostname: plainHost,
    release: () => {
      closed = true;
      reader.releaseLock();
      writer.releaseLock();
    },
  });
  return stream;
}

function checkSupported(tls: TlsOptions, hostname: string): void {
  const unsupported = tls.caCertificates?.length
    ? "extra CA certificates"
    : tls.localCertificate !== undefined
    ? "a client certificate"
    : tls.serverName.toLowerCase() !== hostname.toLowerCase()
    ? `verifying the name "${tls.serverName}" instead of "${hostname}"`
    : undefined;
  if (unsupported !== undefined) {
    throw new SocketOpenError(
      NetworkError.SslHandshakeFailedError,
      `SSL handshake failed: Cloudflare Workers sockets do not support ${unsupported}`,
    );
  }
}

/** Closes `sockets`, ignoring that one was closed already (closing an upgraded socket closes its TCP one). */
function closeQuietly(...sockets: WorkerdSocket[]): void {
  for (const socket of sockets) {
    try {
      socket.close().catch(() => {});
    } catch {
      // Already closed or handed over to startTls().
    }
  }
}

/** Waits for `socket.opened`; a rejection or an abort closes `sockets` and rejects with `failure(error)`. */
async function opened(
  socket: WorkerdSocket,
  signal: AbortSignal,
  failure: (error: unknown) => unknown,
  sockets: readonly WorkerdSocket[] = [socket],
): Promise<void> {
  try {
    await abortable(socket.opened, signal, () => {});
  } catch (error) {
    closeQuietly(...sockets);
    throw signal.aborted ? signal.reason : failure(error);
  }
}

// Every socket is opened as "starttls" (plain until startTls()): workerd upgrades no other, and a
// "secureTransport: on" socket rejects a refused connect and a failed handshake with the same text.
async function connectPlain(options: ConnectOptions): Promise<WorkerdSocket> {
  options.signal.throwIfAborted();
  const { connect } = await import(SOCKETS_MODULE) as WorkerdSockets;
  const socket = connect({ hostname: options.hostname, port: options.port }, { secureTransport: "starttls" });
  await opened(socket, options.signal, (error) => classifyConnectError(error, options));
  return socket;
}

/**
 * Upgrades an open plain socket: the TCP connection already stands, so a
 * rejected `opened` is the handshake's failure. `expectedServerHostname` is
 * passed only when the name differs from the host connected to (a proxy
 * tunnel): workerd logs an error line for the option even where it honours it.
 */
async function secure(
  socket: WorkerdSocket,
  hostname: string,
  tls: TlsOptions,
  signal: AbortSignal,
): Promise<TlsOutcome> {
  const sameName = tls.serverName.toLowerCase() === hostname.toLowerCase();
  const upgraded = socket.startTls(sameName ? undefined : { expectedServerHostname: tls.serverName });
  await opened(
    upgraded,
    signal,
    (error) => new SocketOpenError(NetworkError.SslHandshakeFailedError, HANDSHAKE_FAILED, { cause: error }),
    [upgraded, socket],
  );
  const stream = workerdByteStream(upgraded);
  return { kind: "verified", stream, configuration: { allowedNextProtocols: [...tls.alpnProtocols] } };
}

/**
 * The workerd opener. See the module documentation for its limits.
 *
 * @example
 * ```ts ignore
 * import { strictEqual as equal } from "node:assert/strict";
 * import { workerdSocketOpener } from "./workerd_socket_opener.ts";
 * equal(workerdSocketOpener.name, "workerd");
 * ```
 */
export const workerdSocketOpener: SocketOpener = {
  name: "workerd",

  async connect(options: ConnectOptions): Promise<ByteStream> {
    return workerdByteStream(await connectPlain(options), options.hostname);
  },

  async connectTls(options: ConnectOptions & { readonly tls: TlsOptions }): Promise<TlsOutcome> {
    checkSupported(options.tls, options.hostname);
    return secure(await connectPlain(options), options.hostname, options.tls, options.signal);
  },

  async startTls(
    stream: ByteStream,
    options: { readonly tls: TlsOptions; readonly signal: AbortSignal },
  ): Promise<TlsOutcome> {
    const plain = plainSockets.get(stream);
    if (plain === undefined) {
      throw new SocketOpenError(
        NetworkError.UnknownNetworkError,
        "Cannot start TLS: the stream is not a connection opened by the workerd socket opener",
      );
    }
    checkSupported(options.tls, options.tls.serverName);
    plainSockets.delete(stream);
    plain.release();
    return await secure(plain.socket, plain.hostname, options.tls, options.signal);
  },
};
