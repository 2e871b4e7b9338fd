/**
 * {@linkcode workerdSocketOpener}: plain and TLS byte streams on Cloudflare
 * Workers (workerd) through `cloudflare:sockets`.
 *
 * Limits of the platform, which this opener cannot work around:
 * - TLS is verified by workerd against its own roots; `caCertificates`,
 *   client certificates (mutual TLS) and a verify name other than the host
 *   cannot be passed, and are refused with a clear message.
 * - No peer certificate, TLS version, cipher or ALPN result is exposed, and
 *   a failed verification is an opaque error: it becomes
 *   `SslHandshakeFailedError` without `sslErrors` (nothing to ignore), and
 *   `inspectFailures` has no effect.
 * - ALPN cannot be offered; workerd speaks HTTP/1.1 over the socket anyway.
 * - `connect()` reports a refused or unreachable host only when the socket's
 *   `opened` promise rejects, with workerd's generic text.
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
import { classifyConnectError, type ConnectTarget } from "./classify_stream_error.ts";
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

/** For startTls: the socket under a plain stream, and how to let go of its streams. */
const plainSockets = new WeakMap<
  ByteStream,
  { readonly socket: WorkerdSocket; readonly release: () => void }
>();

function workerdByteStream(socket: WorkerdSocket): ByteStream {
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
      socket.close().catch(() => {});
    },
  };
  plainSockets.set(stream, {
    socket,
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

async function open(socket: WorkerdSocket, target: ConnectTarget, signal: AbortSignal): Promise<ByteStream> {
  try {
    await abortable(socket.opened, signal, () => {});
  } catch (error) {
    socket.close().catch(() => {});
    if (signal.aborted) throw signal.reason;
    throw classifyConnectError(error, target);
  }
  return workerdByteStream(socket);
}

// A plain socket is opened as "starttls" (plain until startTls()), since workerd upgrades no other.
async function connectSocket(
  options: ConnectOptions,
  secureTransport: "starttls" | "on",
): Promise<ByteStream> {
  options.signal.throwIfAborted();
  const { connect } = await import(SOCKETS_MODULE) as WorkerdSockets;
  const socket = connect({ hostname: options.hostname, port: options.port }, { secureTransport });
  const stream = await open(socket, options, options.signal);
  // Only a "starttls" socket can be upgraded.
  if (secureTransport === "on") plainSockets.delete(stream);
  return stream;
}

function verified(stream: ByteStream, tls: TlsOptions): TlsOutcome {
  return { kind: "verified", stream, configuration: { allowedNextProtocols: [...tls.alpnProtocols] } };
}

/**
 * The workerd opener. See the module documentation for its limits.
 *
 * @example
 * ```ts ignore
 * import { workerdSocketOpener } from "./workerd_socket_opener.ts";
 * console.log(workerdSocketOpener.name); // workerd
 * ```
 */
export const workerdSocketOpener: SocketOpener = {
  name: "workerd",

  connect(options: ConnectOptions): Promise<ByteStream> {
    return connectSocket(options, "starttls");
  },

  async connectTls(options: ConnectOptions & { readonly tls: TlsOptions }): Promise<TlsOutcome> {
    checkSupported(options.tls, options.hostname);
    return verified(await connectSocket(options, "on"), options.tls);
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
    const secure = plain.socket.startTls({ expectedServerHostname: options.tls.serverName });
    return verified(
      await open(secure, { hostname: options.tls.serverName, port: 443 }, options.signal),
      options.tls,
    );
  },
};
