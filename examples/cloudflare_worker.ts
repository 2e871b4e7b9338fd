// A Cloudflare Worker: GET /users/<id> is answered from the upstream API in the UPSTREAM binding through
// netreply, with a 5 s inactivity timeout, and its failures mapped to HTTP by Qt's error codes: a timeout is
// 504, an upstream HTTP error keeps its status, anything else (refused, DNS, TLS) is 502.
// Deploy with wrangler (`main = "examples/cloudflare_worker.ts"`, `[vars] UPSTREAM = "https://api.example.com/"`).
import { NetworkAccessManager, NetworkError, NetworkReplyError } from "@netreply/netreply";

/** The Worker's bindings. */
interface Env {
  readonly UPSTREAM: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const id = /^\/users\/(\d+)$/.exec(new URL(request.url).pathname)?.[1];
    if (id === undefined) return new Response("not found", { status: 404 });
    // A manager per request: a Worker may not use I/O objects (connections, streams) of another request.
    await using upstream = new NetworkAccessManager({ baseUrl: env.UPSTREAM, transferTimeout: 5_000 });
    try {
      return Response.json(await upstream.get(`users/${id}`).json());
    } catch (error) {
      if (!(error instanceof NetworkReplyError)) throw error;
      if (error.code === NetworkError.TimeoutError) {
        return new Response("upstream timed out", { status: 504 });
      }
      return new Response(`upstream: ${error.reply.errorString()}`, { status: error.reply.status || 502 });
    }
  },
};
