/**
 * Starts tests/reliability/load_server.ts in a child Deno process, so that
 * the server's work and memory are not the client's, and stops it again.
 * Needs `--allow-run` (the Deno binary) and `--allow-net=127.0.0.1`.
 *
 * @example
 * ```ts
 * import { startChildServer } from "./child_server.ts";
 * await using server = await startChildServer();
 * const response = await fetch(new URL("?id=7", server.url));
 * console.assert(await response.text() === "7");
 * ```
 *
 * @module
 */

/** A server running in a child process. */
export interface ChildServer extends AsyncDisposable {
  /** e.g. `http://127.0.0.1:41234/`. */
  readonly url: URL;
  /** Closes the child's stdin (it shuts down) and waits for it to exit. */
  close(): Promise<void>;
}

const script = new URL("./load_server.ts", import.meta.url);

/** Runs the load server in a child process and resolves once it listens. */
export async function startChildServer(): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", script.pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  let first = "";
  // Leaving the loop cancels stdout: the server prints nothing after its port.
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
    first += text;
    if (first.includes("\n")) break;
  }
  const port = Number.parseInt(first, 10);
  const close = async () => {
    await stdin.close().catch(() => {});
    await child.status;
  };
  if (!Number.isInteger(port)) {
    await close();
    throw new Error(`The load server printed no port: ${JSON.stringify(first)}`);
  }
  return { url: new URL(`http://127.0.0.1:${port}/`), close, [Symbol.asyncDispose]: close };
}
