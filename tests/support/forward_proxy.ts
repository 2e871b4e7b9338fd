/**
 * A tiny forward proxy on 127.0.0.1 for tests: absolute-form requests for
 * http: URLs and CONNECT tunnels for https:, optionally demanding Basic
 * credentials (407) or refusing every tunnel. It only ever connects to
 * loopback targets; anything else gets a 502.
 *
 * Needs `--allow-net=127.0.0.1,localhost`.
 *
 * @example
 * ```ts
 * import { startForwardProxy } from "./forward_proxy.ts";
 * import { serveHttp } from "./servers.ts";
 * await using origin = serveHttp(() => new Response("via proxy"));
 * await using proxy = startForwardProxy();
 * using client = Deno.createHttpClient({ proxy: { url: proxy.url.href } });
 * console.log(await (await fetch(origin.url, { client })).text()); // via proxy
 * console.log(proxy.requests[0].target === origin.url.href); // true
 * ```
 *
 * @module
 */

import { headerOf, type RawRequest, readRawRequest, RequestReader } from "./http_wire.ts";
import { startTrackedListener } from "./tracked_listener.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const loopbackHosts: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Options for {@linkcode startForwardProxy}. */
export interface ForwardProxyOptions {
  /** Demand `Proxy-Authorization: Basic` with these credentials; others get a 407. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Answer every CONNECT with 403 (a proxy that refuses tunnels). */
  readonly refuseConnect?: boolean;
}

/** A running test proxy. */
export interface ForwardProxy extends AsyncDisposable {
  /** e.g. `http://127.0.0.1:41234/` (no credentials). */
  readonly url: URL;
  readonly port: number;
  /** Requests the proxy received (absolute-form targets, CONNECT authorities), in order. */
  readonly requests: readonly RawRequest[];
  /** Closes the listener, every client connection and every upstream connection. */
  close(): Promise<void>;
}

/** Starts a forward proxy on 127.0.0.1, port 0. */
export function startForwardProxy(options: ForwardProxyOptions = {}): ForwardProxy {
  const requests: RawRequest[] = [];
  const expected = options.credentials
    ? `Basic ${btoa(`${options.credentials.username}:${options.credentials.password}`)}`
    : undefined;

  const answer = async (conn: Deno.Conn, status: string, headers: string[] = []) => {
    const body = `${status}\n`;
    const head = [`HTTP/1.1 ${status}`, ...headers, `Content-Length: ${body.length}`, "Connection: close"];
    await conn.write(encoder.encode(`${head.join("\r\n")}\r\n\r\n${body}`));
  };

  // Copies until either side ends, then closes both.
  const splice = async (from: Deno.Conn, to: Deno.Conn) => {
    const buffer = new Uint8Array(16 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        for (let offset = 0; offset < n;) offset += await to.write(buffer.subarray(offset, n));
      }
    } catch {
      // one side went away
    } finally {
      listening.closeConnection(from);
      listening.closeConnection(to);
    }
  };

  const openUpstream = async (hostname: string, targetPort: number): Promise<Deno.Conn | undefined> => {
    if (!loopbackHosts.has(hostname)) return undefined;
    try {
      const upstream = await Deno.connect({ hostname: hostname.replace(/^\[|\]$/g, ""), port: targetPort });
      if (listening.closing) {
        upstream.close();
        return undefined;
      }
      listening.track(upstream);
      return upstream;
    } catch {
      return undefined;
    }
  };

  const handle = async (client: Deno.Conn, index: number) => {
    try {
      const reader = new RequestReader(client);
      const request = await readRawRequest(reader, index);
      if (request === null) return;
      requests.push(request);
      if (expected !== undefined && headerOf(request, "proxy-authorization") !== expected) {
        await answer(client, "407 Proxy Authentication Required", [
          'Proxy-Authenticate: Basic realm="netreply test proxy"',
        ]);
        return;
      }
      if (request.method === "CONNECT") {
        if (options.refuseConnect) return await answer(client, "403 Forbidden");
        const colon = request.target.lastIndexOf(":");
        const upstream = await openUpstream(
          request.target.slice(0, colon),
          Number(request.target.slice(colon + 1)),
        );
        if (!upstream) return await answer(client, "502 Bad Gateway");
        await client.write(encoder.encode("HTTP/1.1 200 Connection Established\r\n\r\n"));
        await Promise.all([splice(client, upstream), splice(upstream, client)]);
        return;
      }
      let target: URL;
      try {
        target = new URL(request.target);
      } catch {
        return await answer(client, "400 Bad Request");
      }
      const upstream = target.protocol === "http:"
        ? await openUpstream(target.hostname, Number(target.port || 80))
        : undefined;
      if (!upstream) return await answer(client, "502 Bad Gateway");
      const headers = request.headers
        .filter(([name]) =>
          !/^(proxy-authorization|proxy-connection|connection|transfer-encoding|content-length)$/i.test(name)
        )
        .map(([name, value]) => `${name}: ${value}`);
      // The body was read (and de-chunked) whole, so it goes on with a length.
      if (request.body.length > 0) headers.push(`Content-Length: ${request.body.length}`);
      const head = [
        `${request.method} ${target.pathname}${target.search} HTTP/1.1`,
        ...headers,
        "Connection: close",
      ];
      await upstream.write(encoder.encode(`${head.join("\r\n")}\r\n\r\n`));
      if (request.body.length > 0) await upstream.write(request.body);
      // One request per connection: the response goes back with "Connection: close"
      // so the client does not reuse a connection the proxy is about to close.
      const upstreamReader = new RequestReader(upstream);
      const responseHead = await upstreamReader.until("\r\n\r\n", 64 * 1024);
      if (responseHead === null) return await answer(client, "502 Bad Gateway");
      const lines = decoder.decode(responseHead).slice(0, -4).split("\r\n")
        .filter((line) => !/^connection:/i.test(line));
      await client.write(encoder.encode(`${[...lines, "Connection: close"].join("\r\n")}\r\n\r\n`));
      const rest = upstreamReader.takeBuffered();
      if (rest.length > 0) await client.write(rest);
      await splice(upstream, client);
    } catch {
      // a side went away
    } finally {
      listening.closeConnection(client);
    }
  };

  const listening = startTrackedListener("127.0.0.1", (conn, index) => void handle(conn, index));
  const close = (): Promise<void> => listening.close();
  return {
    url: new URL(`http://127.0.0.1:${listening.port}/`),
    port: listening.port,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}
