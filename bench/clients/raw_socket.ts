/**
 * The physical ceiling: a raw TCP socket (`Deno.connect`) that writes one
 * request with `Connection: close` and reads to EOF into one reused buffer,
 * without parsing anything. It cannot decode gzip and does no small GETs
 * (one connection per request would not compare with pooled clients).
 *
 * @module
 */

import type { BenchClient } from "./client.ts";

const encoder = new TextEncoder();

/** The raw socket's table name. */
export const RAW_SOCKET = "raw socket";

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength;) at += await conn.write(bytes.subarray(at));
}

/** Sends `head` (and `body`), then reads to EOF; resolves to the bytes read, head included. */
async function exchange(url: string, head: string, body?: Uint8Array): Promise<number> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    await writeAll(conn, encoder.encode(head));
    if (body) await writeAll(conn, body);
    const buffer = new Uint8Array(256 * 1024);
    let total = 0;
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return total;
      total += n;
    }
  } finally {
    conn.close();
  }
}

/**
 * Creates the raw-socket client.
 *
 * @returns The client (download and upload only).
 */
export function rawSocketClient(): BenchClient {
  return {
    name: RAW_SOCKET,
    reportsProgress: { download: false, upload: false },
    countsHead: true,
    note: "raw socket: no HTTP parsing; its byte count includes the response head",
    download(url) {
      const { host, pathname, search } = new URL(url);
      return exchange(url, `GET ${pathname}${search} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    },
    async upload(url, body) {
      const { host, pathname } = new URL(url);
      const head = `POST ${pathname} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.byteLength}\r\n` +
        "Connection: close\r\n\r\n";
      await exchange(url, head, body);
      return body.byteLength;
    },
  };
}
