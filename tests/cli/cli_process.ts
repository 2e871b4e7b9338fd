/**
 * Runs cli.ts as a child `deno run` with exactly the permissions a test
 * grants, and a loopback server that echoes requests as JSON for the CLI
 * tests.
 *
 * @module
 */

import { serveHttp, type TestServer } from "../support/servers.ts";

const cliPath = new URL("../../cli.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

/** What a CLI run produced. */
export interface CliRun {
  /** The exit code. */
  readonly code: number;
  /** stdout, as bytes. */
  readonly stdout: Uint8Array;
  /** stdout, as text. */
  readonly out: string;
  /** stderr, as text. */
  readonly err: string;
}

/** How to run the CLI. */
export interface CliRunOptions {
  /** `deno run` permission flags, e.g. `["--allow-net=127.0.0.1"]`; none by default. */
  readonly permissions?: readonly string[];
  /** Bytes for stdin; stdin is closed (empty) otherwise. */
  readonly stdin?: Uint8Array;
}

/**
 * The arguments of `deno` that run cli.ts with exactly `permissions`:
 * `run --no-prompt --no-lock PERMISSIONS cli.ts ARGS`.
 *
 * @param permissions `deno run` permission flags, e.g. `["--allow-net=127.0.0.1"]`.
 * @param args The CLI's arguments.
 * @returns The argument list for `Deno.execPath()`.
 */
export function cliArgv(permissions: readonly string[], args: readonly string[]): string[] {
  return ["run", "--no-prompt", "--no-lock", ...permissions, cliPath, ...args];
}

/**
 * Runs `deno run --no-prompt PERMISSIONS cli.ts ARGS` and collects its output.
 *
 * @param args The CLI's arguments.
 * @param options Permissions and stdin.
 * @returns The exit code and the output.
 */
export async function runCliProcess(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgv(options.permissions ?? [], args),
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (options.stdin) await writer.write(options.stdin);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  return { code, stdout, out: decoder.decode(stdout), err: decoder.decode(stderr) };
}

/** `--allow-net` for a server's host and port, e.g. `--allow-net=127.0.0.1:41234`. */
export function allowNet(...urls: URL[]): string {
  return `--allow-net=${urls.map((url) => url.host).join(",")}`;
}

/** What the echo server saw of a request. */
export interface EchoedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A loopback server for the CLI tests:
 * - `/echo` answers 200 with the request as JSON ({@linkcode EchoedRequest});
 * - `/r/N` redirects (302) to `/r/N-1`, and `/r/1` to `/echo`;
 * - `/to?url=U` redirects (302) to U;
 * - `/status/N` answers status N with the body `status N`;
 * - `/bytes/N` answers N bytes of `x`.
 */
export function startEchoServer(): TestServer {
  return serveHttp(async (request) => {
    const url = new URL(request.url);
    const [, route, arg] = url.pathname.split("/");
    const n = Number(arg);
    switch (route) {
      case "echo": {
        const echoed: EchoedRequest = {
          method: request.method,
          path: url.pathname + url.search,
          headers: Object.fromEntries(request.headers),
          body: await request.text(),
        };
        return Response.json(echoed);
      }
      case "r":
        return new Response(null, { status: 302, headers: { location: n <= 1 ? "/echo" : `/r/${n - 1}` } });
      case "to":
        return new Response(null, { status: 302, headers: { location: url.searchParams.get("url") ?? "/" } });
      case "status":
        return new Response(`status ${n}`, { status: n });
      case "bytes":
        return new Response("x".repeat(n));
    }
    return new Response("no such route", { status: 404 });
  });
}
