/**
 * The smoke suite's server: fixed routes on a node:http server and on two
 * node:https servers (the committed test certificates `localhost.pem`,
 * signed by `ca.pem`, and `selfsigned.pem`), all on 127.0.0.1. Deno, Node and Bun start it
 * in-process (in_process_smoke.ts); for workerd, which cannot listen, smoke_server_main.ts
 * runs it as a separate Node process. The certificates are read from
 * tests/support/certs/ under the working directory (run_smoke.sh runs from
 * the repository's root).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
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
  // The upstream API of examples/cloudflare_worker.ts.
  "/users/7": (_, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: 7, name: "Grace" }));
  },
  "/large": (_, res) => {
    const body = Buffer.alloc(256 * 1024, "x");
    res.writeHead(200, { "content-length": String(body.length) });
    res.end(body);
  },
  "/reason": (_, res) => {
    res.writeHead(200, "Fine Thanks");
    res.end("phrase");
  },
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
  /** `https://127.0.0.1:<port>` of the same routes over TLS. */
  readonly httpsBase: string;
  /** The test CA (PEM) that signed the TLS side's certificate. */
  readonly caCertificate: string;
  /** `https://127.0.0.1:<port>` of the same routes behind the self-signed certificate. */
  readonly selfSignedBase: string;
  /** A loopback port that was free a moment ago: connecting to it is refused. */
  readonly closedPort: number;
  /** Stops the server; stalled responses are cut, so this does not wait for them. */
  close(): Promise<void>;
}

/** A PEM file of tests/support/certs/, read from the working directory. */
function certificateFile(name: string): string {
  return readFileSync(`tests/support/certs/${name}`, "utf8");
}

/** An https server for the routes, with `<name>.pem` and `<name>-key.pem`. */
function httpsServer(name: string): HttpsServer {
  return createHttpsServer(
    { cert: certificateFile(`${name}.pem`), key: certificateFile(`${name}-key.pem`) },
    serve,
  );
}

function serve(request: IncomingMessage, response: ServerResponse): void {
  (routes[request.url ?? ""] ?? routes["/hello"])(request, response);
}

async function listen(server: Server | HttpsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function stop(server: Server | HttpsServer): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Starts the smoke server (plain and TLS) on ephemeral ports of 127.0.0.1.
 *
 * @returns The servers' base URLs, the test CA, a closed port and a way to stop them.
 * @example
 * ```ts ignore
 * const server = await startSmokeServer();
 * console.log(await (await fetch(`${server.base}/hello`)).text()); // hello
 * await server.close();
 * ```
 */
export async function startSmokeServer(): Promise<SmokeServer> {
  const server = createServer(serve);
  const secure = httpsServer("localhost");
  const selfSigned = httpsServer("selfsigned");
  const [port, securePort, selfSignedPort] = await Promise.all([
    listen(server),
    listen(secure),
    listen(selfSigned),
  ]);
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    httpsBase: `https://127.0.0.1:${securePort}`,
    caCertificate: certificateFile("ca.pem"),
    selfSignedBase: `https://127.0.0.1:${selfSignedPort}`,
    closedPort,
    close: async () => {
      await Promise.all([stop(server), stop(secure), stop(selfSigned)]);
    },
  };
}
