/**
 * The smoke suite's server: fixed routes on a node:http server on 127.0.0.1.
 * Node and Bun start it in-process (fetch_smoke.ts); for workerd, which
 * cannot listen, smoke_server_main.ts runs it as a separate Node process.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync } from "node:zlib";

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
  "/truncated": (_, res) => {
    res.writeHead(200, { "content-length": "100" });
    res.write("abc", () => res.socket?.destroy());
  },
  "/echo": (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => res.end(Buffer.concat(chunks)));
  },
};

/** A running smoke server: where the checks go, and a port nothing listens on. */
export interface SmokeServer {
  /** `http://127.0.0.1:<port>` of the server. */
  readonly base: string;
  /** A loopback port that was free a moment ago: connecting to it is refused. */
  readonly closedPort: number;
  /** Stops the server; stalled responses are cut, so this does not wait for them. */
  close(): Promise<void>;
}

/**
 * Starts the smoke server on an ephemeral port of 127.0.0.1.
 *
 * @returns The server's base URL, a closed port and a way to stop it.
 * @example
 * ```ts ignore
 * const server = await startSmokeServer();
 * console.log(await (await fetch(`${server.base}/hello`)).text()); // hello
 * await server.close();
 * ```
 */
export async function startSmokeServer(): Promise<SmokeServer> {
  const server = createServer((req, res) => (routes[req.url ?? ""] ?? routes["/hello"])(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closedPort,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
