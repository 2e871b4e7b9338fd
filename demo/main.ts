/**
 * `deno task demo`: a tour of netreply through its command-line tool
 * (cli.ts), run as a user runs it against an embedded server on 127.0.0.1 —
 * a download with its progress meter, redirects traced with -v, a 404's exit
 * code, a transfer timeout, a JSON POST and a permission Deno refuses.
 *
 * Exits with 1 if any step does not behave as documented, so the tour
 * doubles as a smoke test of the CLI.
 *
 * @module
 */

import { ExitCode } from "../cli/exit_codes.ts";
import { formatBytes } from "../cli/progress_bar.ts";
import { type CliCommand, type CliResult, commandLine, runCli } from "./cli_child.ts";
import { startDemoServer } from "./server.ts";

const MiB = 1024 * 1024;
const DOWNLOAD_SIZE = 8 * MiB;
const DOWNLOAD_MS = 1000;

// Deno.noColor reflects NO_COLOR without needing --allow-env.
const useColor = Deno.stdout.isTerminal() && !Deno.noColor;
const decoder = new TextDecoder();

const paint = (code: string) => (text: string): string => useColor ? `\x1b[${code}m${text}\x1b[0m` : text;
const bold = paint("1");
const dim = paint("2");
const green = paint("32");
const red = paint("31");
const cyan = paint("36");

function say(line = ""): void {
  console.log(line);
}

/** Prints a ✔/✘ line; a ✘ makes the demo exit with 1. */
function check(ok: boolean, text: string, expected?: string): void {
  if (ok) {
    say(`   ${green("✔")} ${text}`);
  } else {
    say(`   ${red("✘")} ${text}${expected ? red(` (expected ${expected})`) : ""}`);
    Deno.exitCode = 1;
  }
}

/** Prints captured output indented, `label` before each line. */
function show(label: string, text: string): void {
  for (const line of text.trimEnd().split("\n")) {
    if (line !== "") say(`   ${dim(label)} ${line}`);
  }
}

let step = 0;

/** Prints the step's heading and command, runs it, and prints what it captured. */
async function run(title: string, command: CliCommand): Promise<CliResult> {
  say();
  say(bold(`${++step}. ${title}`));
  say(`   ${cyan(`$ ${commandLine(command)}`)}`);
  const result = await runCli(command);
  show("stderr│", result.stderr);
  return result;
}

function exitCodeCheck(result: CliResult, expected: ExitCode, meaning: string): void {
  check(result.code === expected, `exit code ${result.code}: ${meaning}`, String(expected));
}

async function main(): Promise<void> {
  await using server = startDemoServer();
  const origin = server.origin;
  const net = `--allow-net=${new URL(origin).host}`;

  say(
    bold("netreply demo") +
      dim(" — Qt's network access model (QNetworkAccessManager) on Deno, through its CLI"),
  );
  say(
    dim(`embedded server at ${origin} (loopback only); the CLI runs as a child process, as you would run it`),
  );

  const download = await run("Download with a progress meter (stdout is captured, so the meter shows)", {
    permissions: [net],
    args: [`${origin}/download?size=${DOWNLOAD_SIZE}&ms=${DOWNLOAD_MS}`],
    liveStderr: true,
  });
  exitCodeCheck(download, ExitCode.Ok, "success");
  check(
    download.stdout.length === DOWNLOAD_SIZE,
    `${formatBytes(download.stdout.length)} on stdout`,
    formatBytes(DOWNLOAD_SIZE),
  );

  const redirects = await run("Redirects, every signal traced with -v", {
    permissions: [net],
    args: ["-v", "-L", `${origin}/r/3`],
  });
  exitCodeCheck(redirects, ExitCode.Ok, "success");
  const hops = redirects.stderr.split("\n").filter((line) => / redirected\(/.test(line));
  check(hops.length === 3, `${hops.length} redirected signals: /r/2, /r/1, /final`, "3");
  show("stdout│", decoder.decode(redirects.stdout));

  const missing = await run("An HTTP error: the body is written, the exit code tells", {
    permissions: [net],
    args: [`${origin}/missing`],
  });
  show("stdout│", decoder.decode(missing.stdout));
  exitCodeCheck(missing, ExitCode.HttpClientError, "the server answered 4xx (ContentNotFoundError)");

  const timeout = await run("A transfer timeout: the server goes quiet after its first bytes", {
    permissions: [net],
    args: ["--timeout", "0.5", `${origin}/stall`],
  });
  show("stdout│", decoder.decode(timeout.stdout));
  exitCodeCheck(timeout, ExitCode.Timeout, "--timeout elapsed without data (TimeoutError)");

  const post = await run("A JSON POST: --json sets Content-Type and Accept", {
    permissions: [net],
    args: ["-s", "--json", '{"name":"netreply","signals":14}', `${origin}/echo`],
  });
  const echoed = decoder.decode(post.stdout);
  show("stdout│", echoed);
  exitCodeCheck(post, ExitCode.Ok, "success");
  check(
    echoed.includes('"method":"POST"') && echoed.includes('"contentType":"application/json"') &&
      echoed.includes('"accept":"application/json"'),
    "the server saw POST, application/json and Accept: application/json",
  );

  const denied = await run("A permission Deno refuses: the message names the flag to add", {
    permissions: [],
    args: [`${origin}/final`],
  });
  exitCodeCheck(denied, ExitCode.PermissionDenied, "Deno refused net access");
  check(denied.stderr.includes(net), `the message says ${net}`);

  say();
  say(
    Deno.exitCode === 1
      ? red("Some steps did not behave as documented (✘ above).")
      : green(`All ${step} steps behaved as documented. `) +
        dim("See docs/cli.md for every flag, or run `deno run cli.ts --help`."),
  );
}

await main();
