/**
 * What the CLI does on a terminal: the progress bar redrawn in place, the
 * user-verified redirect question, and Ctrl-C. The terminal is a real
 * pseudo-terminal from util-linux `script`; Ctrl-C is a real SIGINT.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../cli/exit_codes.ts";
import { stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import { allowNet, cliArgv, type EchoedRequest, startEchoServer } from "./cli_process.ts";

const decoder = new TextDecoder();

/** Runs the CLI on a pseudo-terminal (stdin, stdout and stderr), typing `input`; returns what the terminal showed. */
async function runOnTerminal(
  permissions: string[],
  args: string[],
  input = "",
): Promise<{ code: number; screen: string }> {
  const command = [Deno.execPath(), ...cliArgv(permissions, args)].join(" ");
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout } = await child.output();
  return { code, screen: decoder.decode(stdout) };
}

Deno.test("cli on a terminal: with -o the progress bar is redrawn in place, ending at 100% with rate and ETA", async () => {
  await using server = startEchoServer();
  const dir = await Deno.makeTempDir({ prefix: "netreply-cli-" });
  try {
    const file = `${dir}/out.bin`;
    const { code, screen } = await runOnTerminal(
      [allowNet(server.url), `--allow-write=${file}`],
      ["-o", file, new URL("/bytes/200000", server.url).href],
    );
    assert.equal(code, ExitCode.Ok, screen);
    const frames = screen.split("\r\x1b[2K").slice(1);
    assert.ok(frames.length >= 1, JSON.stringify(screen));
    const last = frames.at(-1)!;
    assert.match(last, /^█+ 100% {2}195\.3 KiB \/ 195\.3 KiB {2}\S+ \S+\/s {2}ETA 0:00\r?\n$/);
    assert.equal((await Deno.stat(file)).size, 200000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli on a terminal: --redirect-policy user-verified asks, and 'y' follows the redirect", async () => {
  await using server = startEchoServer();
  const { code, screen } = await runOnTerminal(
    [allowNet(server.url)],
    ["--redirect-policy", "user-verified", new URL("/r/1", server.url).href],
    "y\n",
  );
  assert.equal(code, ExitCode.Ok, screen);
  assert.ok(screen.includes(`Follow the redirect to ${new URL("/echo", server.url).href}? [y/N] `), screen);
  const echoed: EchoedRequest = JSON.parse(screen.slice(screen.indexOf("{")));
  assert.equal(echoed.path, "/echo");
});

Deno.test("cli on a terminal: --redirect-policy user-verified and 'n' refuses with exit 11", async () => {
  await using server = startEchoServer();
  const { code, screen } = await runOnTerminal(
    [allowNet(server.url)],
    ["--redirect-policy", "user-verified", new URL("/r/1", server.url).href],
    "n\n",
  );
  assert.equal(code, ExitCode.Redirect, screen);
  assert.ok(!screen.includes("{"), "no body followed");
  assert.match(screen, /netreply: not following the redirect to http:\/\/\S+\/echo\r?\n/);
});

Deno.test("cli: Ctrl-C (SIGINT) cancels the transfer with exit 13, keeping what arrived", async () => {
  await using server = startRawHttpServer(stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome"));
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgv([allowNet(server.url)], ["-v", server.url.href]),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Wait for the first bytes (the -v trace says readyRead), then press Ctrl-C.
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("readyRead")) {
    const { value, done } = await stderr.read();
    if (done) break;
    seen += value;
  }
  child.kill("SIGINT");
  for (let chunk = await stderr.read(); !chunk.done; chunk = await stderr.read()) seen += chunk.value;
  const stdout = await new Response(child.stdout).text();
  const { code } = await child.status;
  assert.equal(code, ExitCode.Canceled, seen);
  assert.equal(stdout, "some");
  assert.match(seen, /errorOccurred\(OperationCanceledError\)/);
  assert.match(seen, /\nnetreply: Operation canceled \(OperationCanceledError\)\n$/);
});
