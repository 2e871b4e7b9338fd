/**
 * {@linkcode nodeByteStream}: a {@linkcode ByteStream} over a `node:net`
 * (or `node:tls`) socket.
 *
 * The socket's chunks are handed over as they arrive (Node allocates a new
 * Buffer per read, so the caller owns it). The socket is paused while a chunk
 * waits for its reader, so TCP backpressure reaches the peer.
 *
 * @example
 * ```ts ignore
 * import { connect } from "node:net";
 * import { nodeByteStream } from "./node_byte_stream.ts";
 * const stream = nodeByteStream(connect({ host: "127.0.0.1", port: 8080 }));
 * stream.close();
 * ```
 *
 * @module
 */

import type { Socket } from "node:net";
import type { ByteStream } from "./socket_opener.ts";

interface Waiter {
  readonly resolve: (chunk: Uint8Array | null) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Wraps a connected socket; the stream owns it from now on. Reads after a
 * local `close()` give `null`.
 *
 * @param socket A connected socket (for TLS: after `secureConnect`).
 * @returns The byte stream.
 * @example
 * ```ts ignore
 * import { connect } from "node:net";
 * import { nodeByteStream } from "./node_byte_stream.ts";
 * const stream = nodeByteStream(connect({ host: "127.0.0.1", port: 8080 }));
 * console.log(await stream.read());
 * ```
 */
export function nodeByteStream(socket: Socket): ByteStream {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: { readonly error: unknown } | undefined;
  let closed = false;
  let waiter: Waiter | undefined;

  const settle = (): void => {
    if (waiter === undefined) return;
    const current = waiter;
    if (queue.length > 0) {
      waiter = undefined;
      current.resolve(queue.shift()!);
    } else if (failure !== undefined) {
      waiter = undefined;
      current.reject(failure.error);
    } else if (ended || closed) {
      waiter = undefined;
      current.resolve(null);
    }
  };
  const onData = (chunk: Uint8Array): void => {
    queue.push(chunk);
    socket.pause();
    settle();
  };
  const onEnd = (): void => {
    ended = true;
    settle();
  };
  const onError = (error: unknown): void => {
    failure ??= { error };
    settle();
  };
  socket.on("data", onData).on("end", onEnd).on("close", onEnd).on("error", onError);

  const stream: ByteStream = {
    read(): Promise<Uint8Array | null> {
      if (closed) return Promise.resolve(null);
      if (queue.length > 0) {
        const chunk = queue.shift()!;
        if (queue.length === 0) socket.resume();
        return Promise.resolve(chunk);
      }
      if (failure !== undefined) return Promise.reject(failure.error);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
        socket.resume();
      });
    },
    write(bytes: Uint8Array): Promise<void> {
      if (failure !== undefined) return Promise.reject(failure.error);
      return new Promise((resolve, reject) => {
        socket.write(bytes, (error?: Error | null) => error ? reject(error) : resolve());
      });
    },
    close(): void {
      if (closed) return;
      closed = true;
      queue.length = 0;
      socket.destroy();
      settle();
    },
  };
  detachers.set(stream, () => {
    socket.off("data", onData).off("end", onEnd).off("close", onEnd).off("error", onError);
    closed = true;
    return socket;
  });
  return stream;
}

const detachers = new WeakMap<ByteStream, () => Socket>();

/**
 * Takes the socket back from a stream made by {@linkcode nodeByteStream}
 * (for TLS over a proxy tunnel): the stream stops reading it and reads
 * `null` from now on. Bytes already buffered by the stream are dropped: call
 * it only between exchanges.
 *
 * @param stream Any byte stream.
 * @returns The socket, or `undefined` for other streams.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { detachNodeSocket } from "./node_byte_stream.ts";
 * equal(detachNodeSocket({ read: () => Promise.resolve(null), write: () => Promise.resolve(), close() {} }), undefined);
 * ```
 */
export function detachNodeSocket(stream: ByteStream): Socket | undefined {
  const detach = detachers.get(stream);
  detachers.delete(stream);
  return detach?.();
}
