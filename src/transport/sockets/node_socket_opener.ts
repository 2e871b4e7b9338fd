/**
 * {@linkcode nodeSocketOpener}: plain and TLS byte streams through `node:net`
 * and `node:tls`, for Node and Bun, and for Deno's look at a failed
 * handshake (Deno's own TLS hides the peer's certificates).
 *
 * TLS connections are made with `rejectUnauthorized: false`; the chain is
 * then checked here (trust, validity dates, RFC 6125 name) and every error is
 * reported with its certificate, so the engine can let the user ignore them
 * on the very same connection, as Qt does. On Deno, `node:tls` needs
 * `--allow-sys` to load the default roots.
 *
 * @example
 * ```ts ignore
 * import { nodeSocketOpener } from "./node_socket_opener.ts";
 * const stream = await nodeSocketOpener.connect({
 *   hostname: "127.0.0.1", port: 8080, signal: new AbortController().signal,
 * });
 * stream.close();
 * ```
 *
 * @module
 */

import type { Socket } from "node:net";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import { certificateChainErrors } from "../../core/certificate_chain_errors.ts";
import { NetworkError } from "../../core/network_error.ts";
import { classifyRuntimeError } from "../../core/runtime_error_classification.ts";
import { type SslConfiguration, SslError } from "../../core/ssl.ts";
import { SslErrorKind } from "../../core/ssl_error_kind.ts";
import { classifyConnectError, type ConnectTarget } from "./classify_stream_error.ts";
import { detachNodeSocket, nodeByteStream } from "./node_byte_stream.ts";
import { loadNodeBuiltins, type NodeBuiltins } from "./node_builtins.ts";
import { certificateOf, peerChainVerification } from "./node_peer_chain.ts";
import type { ByteStream, ConnectOptions, SocketOpener, TlsOptions, TlsOutcome } from "./socket_opener.ts";
import { SocketOpenError } from "./socket_open_error.ts";

/** Waits for `event` on a fresh socket; an error, a close or an abort destroys it and rejects. */
function opened<T extends Socket>(
  create: () => T,
  event: "connect" | "secureConnect",
  target: ConnectTarget,
  signal: AbortSignal,
): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    let socket: T;
    const fail = (error: unknown): void => {
      cleanup();
      socket?.destroy();
      reject(signal.aborted ? signal.reason : classifyConnectError(error, target));
    };
    const onAbort = (): void => fail(signal.reason);
    const onClose = (): void =>
      fail(new SocketOpenError(NetworkError.RemoteHostClosedError, "Connection closed during the handshake"));
    const onOpen = (): void => {
      cleanup();
      resolve(socket);
    };
    const cleanup = (): void => {
      signal.removeEventListener("abort", onAbort);
      socket?.off("error", fail).off("close", onClose).off(event, onOpen);
    };
    try {
      socket = create();
    } catch (error) {
      reject(classifyConnectError(error, target));
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once(event, onOpen).once("error", fail).once("close", onClose);
  });
}

function configurationOf(socket: TLSSocket, options: TlsOptions): SslConfiguration {
  const configuration: SslConfiguration = { allowedNextProtocols: [...options.alpnProtocols] };
  if (options.caCertificates) configuration.caCertificates = [...options.caCertificates];
  if (options.localCertificate) configuration.localCertificate = options.localCertificate;
  const protocol = socket.getProtocol();
  if (protocol) configuration.protocol = protocol;
  const cipher = socket.getCipher();
  if (cipher) configuration.sessionCipher = cipher.standardName ?? cipher.name;
  if (typeof socket.alpnProtocol === "string") configuration.nextNegotiatedProtocol = socket.alpnProtocol;
  return configuration;
}

/** The runtime's own verdict as Qt kinds, for failures the chain checks do not model (e.g. a bad signature). */
function runtimeVerdict(socket: TLSSocket, target: ConnectTarget): SslError[] {
  const code = socket.authorizationError === undefined ? "" : String(socket.authorizationError);
  const host = target.hostname.includes(":") ? `[${target.hostname}]` : target.hostname;
  const { sslErrors } = classifyRuntimeError({
    error: Object.assign(new Error(code), { code }),
    phase: "request",
    url: new URL(`https://${host}:${target.port}/`),
  });
  return [...(sslErrors ?? [new SslError(SslErrorKind.UnspecifiedError)])];
}

function outcomeOf(
  builtins: NodeBuiltins,
  socket: TLSSocket,
  options: TlsOptions,
  target: ConnectTarget,
): TlsOutcome {
  let verification: ReturnType<typeof peerChainVerification>;
  try {
    verification = peerChainVerification(builtins, socket, options);
  } catch (error) {
    // E.g. Deno without --allow-sys cannot read the default roots.
    socket.destroy();
    throw error;
  }
  const chain = verification.x509Chain.map(certificateOf);
  const configuration = configurationOf(socket, options);
  if (chain.length > 0) {
    configuration.peerCertificate = chain[0];
    configuration.peerCertificateChain = chain;
  }
  let errors = certificateChainErrors(verification);
  if (errors.length === 0 && !socket.authorized) {
    errors = runtimeVerdict(socket, target).map((error) => new SslError(error.kind, chain[0]));
  }
  const stream = nodeByteStream(socket);
  if (errors.length === 0) return { kind: "verified", stream, configuration };
  if (!options.inspectFailures) {
    stream.close();
    throw new SocketOpenError(
      NetworkError.SslHandshakeFailedError,
      `SSL handshake failed: ${errors.map((error) => error.message).join("; ")}`,
      { sslErrors: errors },
    );
  }
  return { kind: "unverified", errors, configuration, proceed: () => stream, abandon: () => stream.close() };
}

function tlsConnectionOptions({ net, tls }: NodeBuiltins, options: TlsOptions): ConnectionOptions {
  return {
    // SNI takes host names only (RFC 6066 §3).
    servername: net.isIP(options.serverName.replace(/^\[|\]$/g, "")) ? undefined : options.serverName,
    // `ca` replaces the default roots in node:tls; the contract adds to them.
    ca: options.caCertificates ? [...tls.rootCertificates, ...options.caCertificates] : undefined,
    cert: options.localCertificate,
    key: options.privateKey,
    ALPNProtocols: [...options.alpnProtocols],
    rejectUnauthorized: false,
    // The name is checked with the rest of the chain, so that it is one ignorable error among the others.
    checkServerIdentity: () => undefined,
  };
}

/**
 * The Node and Bun opener (also Deno's way to read a failed handshake's
 * chain). A failed verification is `{ kind: "unverified" }` with every error
 * when `inspectFailures` is set, else `SocketOpenError(SslHandshakeFailedError)`
 * with the same list.
 *
 * @example
 * ```ts ignore
 * import { nodeSocketOpener } from "./node_socket_opener.ts";
 * const outcome = await nodeSocketOpener.connectTls({
 *   hostname: "localhost", port: 8443, signal: new AbortController().signal,
 *   tls: { serverName: "localhost", alpnProtocols: ["http/1.1"], inspectFailures: true },
 * });
 * if (outcome.kind === "unverified") outcome.abandon();
 * ```
 */
export const nodeSocketOpener: SocketOpener = {
  name: "node",

  async connect(options: ConnectOptions): Promise<ByteStream> {
    const { net } = await loadNodeBuiltins();
    const socket = await opened(
      () => net.connect({ host: options.hostname, port: options.port }),
      "connect",
      options,
      options.signal,
    );
    return nodeByteStream(socket);
  },

  async connectTls(options: ConnectOptions & { readonly tls: TlsOptions }): Promise<TlsOutcome> {
    const builtins = await loadNodeBuiltins();
    const socket = await opened(
      () =>
        builtins.tls.connect({
          host: options.hostname,
          port: options.port,
          ...tlsConnectionOptions(builtins, options.tls),
        }),
      "secureConnect",
      options,
      options.signal,
    );
    return outcomeOf(builtins, socket, options.tls, options);
  },

  async startTls(
    stream: ByteStream,
    options: { readonly tls: TlsOptions; readonly signal: AbortSignal },
  ): Promise<TlsOutcome> {
    const underlying = detachNodeSocket(stream);
    const target = { hostname: options.tls.serverName, port: 443 };
    if (underlying === undefined) {
      throw new SocketOpenError(
        NetworkError.UnknownNetworkError,
        "Cannot start TLS: the stream is not a TCP connection opened by the Node socket opener",
      );
    }
    const builtins = await loadNodeBuiltins();
    const socket = await opened(
      () => builtins.tls.connect({ socket: underlying, ...tlsConnectionOptions(builtins, options.tls) }),
      "secureConnect",
      target,
      options.signal,
    );
    return outcomeOf(builtins, socket, options.tls, target);
  },
};
