/**
 * The servers the race tests cancel requests against, each slow in one
 * phase so that a random moment lands inside it: a body streamed in pieces
 * (Deno.serve), a head written in pieces (raw server), and HTTP/1.1 over a
 * Deno.listenTls listener (the TLS handshake, then a body in pieces).
 *
 * Needs `--allow-net=127.0.0.1,localhost` and `--allow-read=tests`.
 *
 * @module
 */

import { readRawRequest, RequestReader } from "../support/http_wire.ts";
import { type RawExchange, startRawHttpServer } from "../support/raw_http_server.ts";
import { startRawTlsListener } from "../support/raw_tls_listener.ts";
import { serveHttp } from "../support/servers.ts";

const encoder = new TextEncoder();
const PIECE = encoder.encode("x".repeat(1024));
const PIECES = 6;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The race targets by name. */
export interface RaceServers extends AsyncDisposable {
  /** A 200 whose 6 KiB body comes in 1 KiB pieces, 1 ms apart. */
  readonly slowBody: URL;
  /** A head written a few bytes at a time, 1 ms apart, then a short body. */
  readonly slowHead: URL;
  /** https://localhost: the handshake, then a head and a body in pieces. */
  readonly tls: URL;
}

const SLOW_HEAD = [
  "HTTP/1.1 200 OK\r\n",
  "Content-Type: text/plain\r\n",
  "Content-Length: 4\r\n",
  "\r\n",
  "done",
];

async function writeSlowHead(exchange: RawExchange): Promise<void> {
  for (const part of SLOW_HEAD) {
    await exchange.write(part);
    await exchange.pause(1);
  }
}

function piecesBody(): ReadableStream<Uint8Array> {
  let left = PIECES;
  return new ReadableStream({
    async pull(controller) {
      await pause(1);
      controller.enqueue(PIECE);
      if (--left === 0) controller.close();
    },
  });
}

/** Starts the three race servers. */
export function startRaceServers(): RaceServers {
  const body = serveHttp(() =>
    new Response(piecesBody(), { headers: { "content-length": String(PIECE.length * PIECES) } })
  );
  const head = startRawHttpServer(writeSlowHead, { keepAlive: true });
  const tls = startRawTlsListener(async (conn, index) => {
    const reader = new RequestReader(conn);
    while (await readRawRequest(reader, index) !== null) {
      await conn.write(encoder.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${PIECE.length * 3}\r\n\r\n`));
      for (let i = 0; i < 3; i++) {
        await pause(1);
        await conn.write(PIECE);
      }
    }
  });
  const close = async () => {
    await Promise.all([body.close(), head.close(), tls.close()]);
  };
  return { slowBody: body.url, slowHead: head.url, tls: tls.url, [Symbol.asyncDispose]: close };
}
