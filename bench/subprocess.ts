/**
 * Child Deno processes of the benchmark: the HTTP server, the scripts that
 * must start from a fresh heap (slow consumer, retention), and `deno fmt` for
 * the results. Children are started as `deno` from PATH (so
 * `--allow-run=deno` is enough), from the repository root; the scripts get
 * `--allow-net=127.0.0.1` only.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const decoder = new TextDecoder();

function denoArgs(script: string, v8Flags: readonly string[], args: readonly string[]): string[] {
  return [
    "run",
    "--no-prompt",
    "--allow-net=127.0.0.1",
    ...(v8Flags.length > 0 ? [`--v8-flags=${v8Flags.join(",")}`] : []),
    new URL(script, import.meta.url).href,
    ...args,
  ];
}

/** The benchmark server, running in its own process. */
export interface ServerProcess extends AsyncDisposable {
  /** E.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** The server's Deno version (it should be the benchmark's own). */
  readonly deno: string;
  /** Resolves with a message if the server exits before `close()`. */
  readonly died: Promise<string>;
  /** Stops the server and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Starts `bench/server.ts` and waits for the port it reports.
 *
 * @param gzipBytes The decoded size of the gzip body it pre-compresses.
 * @returns The running server.
 * @throws If the server exits or prints something else before its port.
 */
export async function startServer(gzipBytes: number): Promise<ServerProcess> {
  const child = new Deno.Command("deno", {
    args: denoArgs("./server.ts", [], [`--gzip-bytes=${gzipBytes}`]),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let closing = false;
  const died = child.status.then((status) => closing ? "" : `the server exited with code ${status.code}`);
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const next = await reader.read();
    if (next.done) {
      await child.status;
      throw new Error(`The benchmark server did not start: ${await died}`);
    }
    text += decoder.decode(next.value, { stream: true });
  }
  reader.releaseLock();
  void child.stdout.cancel().catch(() => {});
  const { port, deno } = JSON.parse(text.slice(0, text.indexOf("\n"))) as { port: number; deno: string };
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
  };
  return { origin: `http://127.0.0.1:${port}`, deno, died, close, [Symbol.asyncDispose]: close };
}

/**
 * Runs a benchmark script in a fresh Deno process and parses the JSON it
 * prints as its last stdout line.
 *
 * @param script The script, relative to `bench/`.
 * @param args Its arguments.
 * @param v8Flags V8 flags (e.g. `--expose-gc`).
 * @returns The parsed result.
 * @throws If the script fails or prints no JSON.
 */
export async function runScript<T>(
  script: string,
  args: readonly string[],
  v8Flags: readonly string[] = [],
): Promise<T> {
  const output = await new Deno.Command("deno", {
    args: denoArgs(script, v8Flags, args),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = decoder.decode(output.stdout).trim();
  if (!output.success) {
    throw new Error(`${script} exited with code ${output.code}: ${decoder.decode(output.stderr).trim()}`);
  }
  const last = stdout.slice(stdout.lastIndexOf("\n") + 1);
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no result: ${stdout}`);
  }
}

/**
 * Formats Markdown the way `deno fmt` does with the repository's settings
 * (`deno fmt --ext=md -`), so that a generated file passes `deno fmt --check`.
 *
 * @param markdown The document.
 * @returns The formatted document.
 * @throws If `deno fmt` fails.
 */
export async function formatMarkdown(markdown: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", "--ext=md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(`deno fmt failed: ${decoder.decode(output.stderr).trim()}`);
  return decoder.decode(output.stdout);
}
