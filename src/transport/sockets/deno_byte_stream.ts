/**
 * {@linkcode denoByteStream}: a {@linkcode ByteStream} over a `Deno.Conn`
 * (plain TCP or TLS).
 *
 * Each read hands the caller a fresh buffer (the part `conn.read` filled), so
 * nothing is copied after the read. The buffer starts small and doubles, up to
 * 64 KiB, each time a read fills it: small responses do not pay for 64 KiB
 * buffers, large downloads read in 64 KiB steps.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { denoByteStream } from "./deno_byte_stream.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const stream = denoByteStream(await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }));
 * const server = await listener.accept();
 * await server.write(new TextEncoder().encode("hello"));
 * server.close();
 * equal(new TextDecoder().decode((await stream.read())!), "hello");
 * equal(await stream.read(), null);
 * stream.close();
 * listener.close();
 * ```
 *
 * @module
 */

import type { ByteStream } from "./socket_opener.ts";

/** First read buffer size: fits a typical small response head and body. */
export const INITIAL_READ_SIZE = 8 * 1024;
/** Largest read buffer size. */
export const MAX_READ_SIZE = 64 * 1024;

const conns = new WeakMap<ByteStream, Deno.Conn>();

/**
 * Wraps a connected `Deno.Conn`. Reads after a local `close()` give `null`
 * rather than Deno's `BadResource`.
 *
 * @param conn The connection; the stream owns it from now on.
 * @returns The byte stream.
 * @example
 * ```ts ignore
 * import { denoByteStream } from "./deno_byte_stream.ts";
 * const stream = denoByteStream(await Deno.connect({ hostname: "127.0.0.1", port: 8080 }));
 * console.log(await stream.read());
 * stream.close();
 * ```
 */
export function denoByteStream(conn: Deno.Conn): ByteStream {
  let closed = false;
  let readSize = INITIAL_READ_SIZE;
  const stream: ByteStream = {
    async read(): Promise<Uint8Array | null> {
      if (closed) return null;
      const buffer = new Uint8Array(readSize);
      let count: number | null;
      try {
        count = await conn.read(buffer);
      } catch (error) {
        if (closed) return null;
        throw error;
      }
      if (count === null) return null;
      if (count === buffer.length && readSize < MAX_READ_SIZE) readSize *= 2;
      return buffer.subarray(0, count);
    },
    async write(bytes: Uint8Array): Promise<void> {
      let written = 0;
      while (written < bytes.length) {
        written += await conn.write(written === 0 ? bytes : bytes.subarray(written));
      }
    },
    close(): void {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch {
        // Already closed by the runtime (e.g. after a reset): nothing left to free.
      }
    },
  };
  conns.set(stream, conn);
  return stream;
}

/**
 * The `Deno.Conn` under a stream made by {@linkcode denoByteStream}, if it
 * is one (for `Deno.startTls` over a proxy tunnel).
 *
 * @param stream Any byte stream.
 * @returns The connection, or `undefined` for other streams.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { denoConnOf } from "./deno_byte_stream.ts";
 * equal(denoConnOf({ read: () => Promise.resolve(null), write: () => Promise.resolve(), close() {} }), undefined);
 * ```
 */
export function denoConnOf(stream: ByteStream): Deno.Conn | undefined {
  return conns.get(stream);
}
