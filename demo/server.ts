/**
 * The demo's embedded HTTP server on 127.0.0.1 (an ephemeral port), so the
 * tour needs no internet; the server itself needs only `--allow-net=127.0.0.1`.
 *
 * Routes:
 * - `GET /download?size=N&ms=T` — N bytes of `application/octet-stream` with
 *   a Content-Length, paced to arrive over about T milliseconds.
 * - `GET /r/N` — a 302 chain: `/r/N` → `/r/N-1` → … → `/r/1` → `/final`.
 * - `GET /final` — 200 with a short text body.
 * - `POST /echo` — 200 with a JSON object describing the request: its
 *   method, Content-Type, Accept and body (parsed when it is JSON).
 * - `GET /stall` — a 200 head and a few bytes, then silence until the client
 *   gives up (or the server closes).
 * - anything else — 404 with a short text body.
 *
 * @module
 */

const CHUNK_SIZE = 128 * 1024;
const encoder = new TextEncoder();

/** A running demo server; `await using` it to shut it down. */
export interface DemoServer extends AsyncDisposable {
  /** The origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** Stops listening, ends stalled responses and waits for connections to finish. */
  close(): Promise<void>;
}

/** Starts the demo server on 127.0.0.1 with an ephemeral port. */
export function startDemoServer(): DemoServer {
  // Bodies that would otherwise never end; the server ends them when it closes.
  const pending = new Set<() => void>();

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    const redirect = url.pathname.match(/^\/r\/(\d+)$/);
    if (redirect) {
      const n = Number(redirect[1]);
      const location = n <= 1 ? "/final" : `/r/${n - 1}`;
      return new Response(`Moved to ${location}\n`, { status: 302, headers: { location } });
    }
    switch (url.pathname) {
      case "/download":
        return download(
          Number(url.searchParams.get("size") ?? 32 * 1024 * 1024),
          Number(url.searchParams.get("ms") ?? 2500),
          pending,
        );
      case "/echo":
        return echo(request);
      case "/final":
        return text(200, "You followed every redirect and made it to /final.\n");
      case "/stall":
        return stall(pending);
      default:
        return text(404, `Nothing at ${url.pathname}, sorry.\n`);
    }
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (!closing) {
      for (const end of pending) end();
      pending.clear();
      closing = server.shutdown();
    }
    return closing;
  };
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function text(status: number, body: string): Response {
  // no-transform keeps Deno.serve from compressing, so the demo shows real sizes.
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-transform" },
  });
}

/** The request described as JSON, so a client can see what it sent. */
async function echo(request: Request): Promise<Response> {
  const text = await request.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: echo the text as it is.
  }
  return Response.json({
    method: request.method,
    contentType: request.headers.get("content-type"),
    accept: request.headers.get("accept"),
    body,
  });
}

/** A body of `size` bytes released on a schedule, so the transfer takes about `ms`. */
function download(size: number, ms: number, pending: Set<() => void>): Response {
  const started = performance.now();
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    clearTimeout(timer);
    wake?.();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= size) {
        controller.close();
        return;
      }
      const n = Math.min(CHUNK_SIZE, size - sent);
      // Wait until the schedule allows these bytes; pacing by the clock (not a
      // fixed sleep per chunk) keeps the total time steady despite timer jitter.
      const due = started + ((sent + n) / size) * ms - performance.now();
      if (due > 0) {
        pending.add(stop);
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, due);
        });
        pending.delete(stop);
      }
      if (stopped) {
        // The server is closing: end the body short (the client sees a truncated transfer).
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(n).fill(0x2a));
      sent += n;
    },
    cancel: () => {
      stop();
      pending.delete(stop);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: { "content-type": "application/octet-stream", "content-length": String(size) },
  });
}

/** A 200 that sends its first bytes and then nothing more. */
function stall(pending: Set<() => void>): Response {
  let end: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("The first bytes arrive, then the server goes quiet...\n"));
      end = () => {
        try {
          controller.close();
        } catch {
          // Already cancelled by the client: nothing left to end.
        }
      };
      pending.add(end);
    },
    cancel: () => {
      if (end) pending.delete(end);
    },
  });
  return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
