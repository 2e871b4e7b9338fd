/**
 * The rows of the fault matrix: each names a way a server misbehaves, the
 * exact bytes (or the script) that do it, and the NetworkError each
 * transport must end in — or `"hangs"`, where a transport cannot end the
 * reply by itself and the row pins that (docs/reliability.md says why).
 *
 * @module
 */

import { NetworkError } from "../../mod.ts";
import { compress, framed, type Framing } from "../fetch/encoded_bodies.ts";
import type { RawHttpServerOptions, RawResponder } from "../support/raw_http_server.ts";
import { startScriptedListener } from "../support/tracked_listener.ts";
import type { FaultCaseOptions, TransportName } from "./fault_harness.ts";

const encoder = new TextEncoder();

/** What a transport makes of a fault: a code, or a reply that never ends by itself. */
export type FaultExpectation = NetworkError | "hangs";

/** A server that is not a raw HTTP responder (one that resets, say). */
export interface ScriptedServer extends AsyncDisposable {
  readonly url: URL;
}

/** One misbehaving server and what each transport must make of it. */
export interface FaultRow {
  readonly name: string;
  /** The raw server's answer to each request; or `serve` for a server of its own. */
  readonly respond?: RawResponder;
  readonly serve?: () => ScriptedServer;
  readonly serverOptions?: RawHttpServerOptions;
  readonly expected: Readonly<Record<TransportName, FaultExpectation>>;
  readonly options?: FaultCaseOptions;
  /** The body a finished reply must have delivered (for the NoError rows). */
  readonly body?: string;
}

const both = (code: FaultExpectation): Record<TransportName, FaultExpectation> => ({
  fetch: code,
  socket: code,
});

/** Writes `line` again and again until the client goes away (or the server closes). */
function endless(prefix: string, line: string): RawResponder {
  const block = encoder.encode(line.repeat(Math.max(1, Math.floor(16384 / line.length))));
  return async (exchange) => {
    await exchange.write(prefix);
    for (;;) await exchange.write(block);
  };
}

/** A server that answers with `bytes` and closes with the rest of the request unread: Linux sends RST. */
function resetting(bytes: string): () => ScriptedServer {
  return () => {
    const listening = startScriptedListener(
      Deno.listen({ hostname: "127.0.0.1", port: 0 }),
      async (conn) => {
        await conn.read(new Uint8Array(1));
        await conn.write(encoder.encode(bytes));
        conn.close();
      },
    );
    return {
      url: new URL(`http://127.0.0.1:${listening.port}/`),
      [Symbol.asyncDispose]: () => listening.close(),
    };
  };
}

const GZIP_HEAD = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip";
const text = encoder.encode("netreply ".repeat(4096));
const encoded = {
  gzip: await compress(text, "gzip"),
  deflate: await compress(text, "deflate"),
  br: await brotli(text),
};

async function brotli(data: Uint8Array): Promise<Uint8Array> {
  const { brotliCompressSync } = await import("node:zlib");
  return new Uint8Array(brotliCompressSync(data));
}

/** 16 MiB of zeros, gzip: about 16 KiB on the wire, a 1000:1 ratio. */
const bomb = await compress(new Uint8Array(16 * 1024 * 1024), "gzip");
/**
 * A threshold of 128 KiB, so that the guard trips fast on every transport:
 * where the runtime decodes and no Content-Length tells the ratio, the
 * decoded size is capped at 40 times it (5 MiB).
 */
const BOMB_GUARD: FaultCaseOptions = { decompressedSafetyCheckThreshold: 128 * 1024 };

function bombRow(
  framing: Framing,
  name: string,
  expected: Record<TransportName, FaultExpectation>,
): FaultRow {
  return {
    name: `decompression bomb, ${name}`,
    respond: framed(GZIP_HEAD, bomb, framing),
    expected,
    options: BOMB_GUARD,
  };
}

function codingRows(): FaultRow[] {
  return (["gzip", "deflate", "br"] as const).flatMap((coding): FaultRow[] => {
    const body = encoded[coding];
    const head = `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}`;
    const corrupt = body.slice();
    corrupt.fill(0x5a, 10, body.length - 10);
    return [
      {
        name: `truncated ${coding}`,
        respond: framed(head, body.subarray(0, body.length >> 1), "length"),
        expected: both(NetworkError.UnknownContentError),
      },
      {
        name: `corrupt ${coding}`,
        respond: framed(head, corrupt, "length"),
        expected: both(NetworkError.UnknownContentError),
      },
    ];
  });
}

/** Answers `/again` with "fine" and anything else with `bytes`, on a kept-alive connection. */
function smuggling(bytes: string): Pick<FaultRow, "respond" | "serverOptions"> {
  return {
    respond: (exchange) =>
      exchange.write(
        exchange.request.target === "/again" ? "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine" : bytes,
      ),
    serverOptions: { keepAlive: true },
  };
}

/** Every row of the matrix. */
export const FAULT_ROWS: readonly FaultRow[] = [
  {
    name: "garbage status line",
    respond: "HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "close during the head",
    respond: "HTTP/1.1 200 OK\r\nContent-Len",
    expected: both(NetworkError.RemoteHostClosedError),
  },
  {
    name: "close in a Content-Length body",
    respond: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
    expected: both(NetworkError.RemoteHostClosedError),
  },
  {
    name: "close inside a chunk",
    respond: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly this",
    expected: both(NetworkError.RemoteHostClosedError),
  },
  {
    name: "reset during the body",
    serve: resetting("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"),
    expected: both(NetworkError.RemoteHostClosedError),
  },
  { name: "reset before the head", serve: resetting(""), expected: both(NetworkError.RemoteHostClosedError) },
  {
    name: "bad chunk size",
    respond: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    // Deno's fetch reports a bad framing and a cut-short body with the same error.
    expected: { fetch: NetworkError.RemoteHostClosedError, socket: NetworkError.ProtocolFailure },
  },
  {
    name: "chunk-size overflow",
    respond: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nhello\r\n0\r\n\r\n",
    expected: { fetch: NetworkError.RemoteHostClosedError, socket: NetworkError.ProtocolFailure },
  },
  {
    name: "conflicting Content-Length",
    respond: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi!",
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "negative Content-Length",
    respond: "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nhi",
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "huge Content-Length",
    respond: "HTTP/1.1 200 OK\r\nContent-Length: 184467440737095516160\r\n\r\nhi",
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "Content-Length with chunked",
    respond:
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    expected: both(NetworkError.NoError),
    body: "hi",
  },
  {
    name: "1 MiB head",
    respond: `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(1024 * 1024)}\r\nContent-Length: 2\r\n\r\nhi`,
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "10 000 header fields",
    respond: `HTTP/1.1 200 OK\r\n${"X-Many: v\r\n".repeat(10_000)}Content-Length: 2\r\n\r\nhi`,
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "endless head",
    respond: endless("HTTP/1.1 200 OK\r\n", "X-More: v\r\n"),
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "1xx flood",
    respond: endless("", "HTTP/1.1 100 Continue\r\n\r\n"),
    // Deno's fetch skips interim responses without a limit and never reports them.
    expected: { fetch: "hangs", socket: NetworkError.ProtocolFailure },
  },
  {
    name: "1xx flood with transferTimeout",
    respond: endless("", "HTTP/1.1 100 Continue\r\n\r\n"),
    // On fetch no byte of an interim response reaches netreply, so the inactivity timer fires.
    expected: { fetch: NetworkError.TimeoutError, socket: NetworkError.ProtocolFailure },
    options: { transferTimeout: 300 },
  },
  {
    name: "a byte then silence past transferTimeout",
    respond: async (exchange) => {
      await exchange.write("H");
      await exchange.closed;
    },
    expected: both(NetworkError.TimeoutError),
    options: { transferTimeout: 300 },
  },
  ...codingRows(),
  bombRow("chunked", "chunked", both(NetworkError.UnknownContentError)),
  bombRow("close", "close-delimited", both(NetworkError.UnknownContentError)),
  bombRow("length", "honest Content-Length", both(NetworkError.UnknownContentError)),
  // A Content-Length of 1 MiB makes 16 MiB look like a 16:1 ratio to whoever cannot count the wire bytes.
  bombRow({ declared: 1024 * 1024 }, "lying Content-Length", {
    fetch: NetworkError.NoError,
    socket: NetworkError.UnknownContentError,
  }),
  {
    name: "204 followed by smuggled bytes",
    ...smuggling("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"),
    expected: both(NetworkError.NoError),
    body: "",
    options: { followUp: true },
  },
  {
    name: "HEAD answer followed by smuggled bytes",
    ...smuggling(
      "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil",
    ),
    expected: both(NetworkError.NoError),
    body: "",
    options: { method: "HEAD", followUp: true },
  },
  {
    name: "two Location fields",
    respond: "HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    expected: both(NetworkError.ProtocolUnknownError),
  },
];
