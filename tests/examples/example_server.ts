/**
 * The loopback server the examples in examples/ run against: a download with
 * a Content-Length, a JSON API, a redirect chain and a redirect to another
 * origin, a 404, a body that never comes, and a Basic-protected gzip
 * JSON resource.
 *
 * @module
 */

import { serveHttp, type TestServer } from "../support/servers.ts";

/** The size of `/file`, sent in 64 chunks. */
export const FILE_SIZE = 256 * 1024;
/** The only credentials `/secure` accepts. */
export const USER = "user";
export const PASSWORD = "pass";

function gzipped(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

function download(): Response {
  let sent = 0;
  const chunk = new Uint8Array(FILE_SIZE / 64).fill(0x61);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(chunk);
      sent += chunk.byteLength;
      if (sent === FILE_SIZE) controller.close();
    },
  });
  return new Response(body, { headers: { "content-length": String(FILE_SIZE) } });
}

/** Sends the head, then nothing: the body never comes (the client gives up and closes). */
function stall(): Response {
  return new Response(new ReadableStream({ pull: () => new Promise(() => {}) }));
}

async function secure(request: Request): Promise<Response> {
  if (request.headers.get("authorization") !== `Basic ${btoa(`${USER}:${PASSWORD}`)}`) {
    return new Response("who are you?", {
      status: 401,
      headers: { "www-authenticate": 'Basic realm="api"' },
    });
  }
  const json = JSON.stringify({ user: USER, items: [1, 2, 3] });
  return new Response(await gzipped(json), {
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });
}

/** Starts the examples' server on 127.0.0.1 (an ephemeral port). */
export function serveExamples(): TestServer {
  let port = 0;
  const server = serveHttp(async (request) => {
    const { pathname } = new URL(request.url);
    const hop = /^\/r\/(\d+)$/.exec(pathname);
    if (hop) {
      const next = Number(hop[1]) > 1 ? `/r/${Number(hop[1]) - 1}` : "/final";
      return new Response(null, { status: 302, headers: { location: next } });
    }
    switch (pathname) {
      case "/file":
        return download();
      case "/users":
        return Response.json({ id: 7, ...await request.json() }, { status: 201 });
      case "/final":
        return new Response("final");
      case "/away": // the same server under another origin
        return new Response(null, { status: 302, headers: { location: `http://localhost:${port}/final` } });
      case "/missing":
        return new Response("no such page", { status: 404 });
      case "/stall":
        return stall();
      case "/secure":
        return await secure(request);
    }
    return new Response("unknown example route", { status: 500 });
  });
  port = server.port;
  return server;
}

if (import.meta.main) {
  const server = serveExamples();
  console.log(`The examples' server listens on ${server.url.href} (Ctrl-C stops it)`);
}
