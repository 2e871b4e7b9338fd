/**
 * A smoke suite for the fetch transport on Node and Bun: bundled to plain ESM
 * (see run_smoke.sh) and run by each runtime against a node:http server it
 * starts on 127.0.0.1. Prints one line per check and a Deno-style summary
 * line (`ok | N passed | M failed`) that .ci/run counts.
 */

import { Buffer } from "node:buffer";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { deflateSync } from "node:zlib";
import {
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  networkErrorName,
  type NetworkReply,
} from "../../mod.ts";

type Route = (request: IncomingMessage, response: ServerResponse) => void;

const routes: Record<string, Route> = {
  "/hello": (_, res) => res.end("hello"),
  "/redirect": (_, res) => {
    res.writeHead(302, { location: "/final" });
    res.end("moved");
  },
  "/final": (_, res) => res.end("final body"),
  "/missing": (_, res) => {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("no such page");
  },
  "/deflate": (_, res) => {
    res.writeHead(200, { "content-encoding": "deflate" });
    res.end(deflateSync(Buffer.from("x".repeat(1000))));
  },
  "/stall": (_, res) => {
    res.writeHead(200, { "content-length": "100" });
    res.write("abc");
  },
  "/echo": (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => res.end(Buffer.concat(chunks)));
  },
};

const server = createServer((req, res) => (routes[req.url ?? ""] ?? routes["/hello"])(req, res));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const closedPort = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});

function trace(reply: NetworkReply): string[] {
  const events: string[] = [];
  for (const type of ["requestSent", "metaDataChanged", "redirected", "errorOccurred", "finished"] as const) {
    reply.addEventListener(type, () => events.push(type));
  }
  return events;
}

/** Runs `body` with a manager and closes it (Node 20 has no `await using`). */
async function withManager(
  options: NetworkAccessManagerOptions,
  body: (nam: NetworkAccessManager) => Promise<string | undefined>,
): Promise<string | undefined> {
  const nam = new NetworkAccessManager(options);
  try {
    return await body(nam);
  } finally {
    await nam.close();
  }
}

const runtime = "Bun" in globalThis ? "bun" : `node ${process.versions.node}`;
const checks: [string, () => Promise<string | undefined>][] = [
  ["a redirect is followed with Qt's events", () =>
    withManager({ proxy: null }, async (nam) => {
      const reply = nam.get(`${base}/redirect`);
      const events = trace(reply);
      const text = await reply.text();
      const expected = "requestSent metaDataChanged redirected requestSent metaDataChanged finished";
      if (text !== "final body" || events.join(" ") !== expected) return `${text} / ${events.join(" ")}`;
    })],
  ["404 is ContentNotFoundError with its body", () =>
    withManager({ proxy: null }, async (nam) => {
      const reply = nam.get(`${base}/missing`);
      await reply.done;
      const body = new TextDecoder().decode(reply.readAll());
      if (reply.error() !== NetworkError.ContentNotFoundError || body !== "no such page") {
        return `${networkErrorName(reply.error())} ${body}`;
      }
    })],
  ["deflate is decoded", () =>
    withManager({ proxy: null }, async (nam) => {
      const text = await nam.get(`${base}/deflate`).text();
      if (text !== "x".repeat(1000)) return `${text.length} bytes`;
    })],
  ["a stalled body is TimeoutError", () =>
    withManager({ proxy: null, transferTimeout: 200 }, async (nam) => {
      const reply = nam.get(`${base}/stall`);
      await reply.done;
      if (reply.error() !== NetworkError.TimeoutError) return reply.errorString();
    })],
  ["a ReadableStream body is streamed", () =>
    withManager({ proxy: null }, async (nam) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("streamed"));
          controller.close();
        },
      });
      const text = await nam.post(`${base}/echo`, body).text();
      if (text !== "streamed") return text;
    })],
  ["a closed port is ConnectionRefusedError", () =>
    withManager({ proxy: null }, async (nam) => {
      const reply = nam.get(`http://127.0.0.1:${closedPort}/`);
      await reply.done;
      if (reply.error() !== NetworkError.ConnectionRefusedError) {
        return `${networkErrorName(reply.error())}: ${reply.errorString()}`;
      }
    })],
];

let passed = 0;
let failed = 0;
for (const [name, check] of checks) {
  const problem = await check().catch((error) => `threw ${error}`);
  if (problem === undefined) passed++;
  else failed++;
  console.log(`${runtime}: ${name} ... ${problem === undefined ? "ok" : `FAILED (${problem})`}`);
}
server.close();
console.log(`${failed === 0 ? "ok" : "FAILED"} | ${passed} passed | ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
