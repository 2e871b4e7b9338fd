// A Deno Deploy handler (also `deno serve` anywhere): GET /users/<id> is answered from an upstream API through
// netreply, with a 5 s inactivity timeout and two retries, and its failures mapped to HTTP by Qt's error codes:
// a timeout is 504, an upstream HTTP error keeps its status, anything else (refused, DNS, TLS) is 502.
// Run: UPSTREAM=https://api.example.com/ deno serve --allow-net --allow-env=UPSTREAM examples/deno_deploy.ts
import { NetworkAccessManager, NetworkError, NetworkReplyError } from "@netreply/netreply";

// One manager for the isolate: Deno Deploy keeps it (and its connections) between requests.
const upstream = new NetworkAccessManager({
  baseUrl: Deno.env.get("UPSTREAM"),
  transferTimeout: 5_000,
  retry: 2,
});

export default {
  async fetch(request: Request): Promise<Response> {
    const id = /^\/users\/(\d+)$/.exec(new URL(request.url).pathname)?.[1];
    if (id === undefined) return new Response("not found", { status: 404 });
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
} satisfies Deno.ServeDefaultExport;
