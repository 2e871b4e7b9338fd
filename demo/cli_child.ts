/**
 * Runs the CLI (cli.ts) the way a user does, as `deno run` with the
 * permissions the command needs, for the demo's tour.
 *
 * @module
 */

const cliPath = new URL("../cli.ts", import.meta.url).pathname;

/** What a CLI run produced. */
export interface CliResult {
  /** The exit code. */
  readonly code: number;
  /** stdout (the body, or the head with -I). */
  readonly stdout: Uint8Array;
  /** stderr, when it was captured ("" when it went straight to the terminal). */
  readonly stderr: string;
}

/** A CLI command: permissions and arguments. */
export interface CliCommand {
  /** `deno run` permission flags, e.g. `--allow-net=127.0.0.1:8000`. */
  readonly permissions: readonly string[];
  /** The CLI's arguments. */
  readonly args: readonly string[];
  /** Let the CLI's stderr reach the terminal (live progress bar) instead of capturing it. */
  readonly liveStderr?: boolean;
}

/** The command as a user would type it from the repository root. */
export function commandLine(command: CliCommand): string {
  const quote = (arg: string) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
  return ["deno", "run", ...command.permissions, "cli.ts", ...command.args].map(quote).join(" ");
}

/**
 * Runs the command; stdout is always captured (so the CLI's progress meter
 * shows, as when its output is redirected).
 */
export async function runCli(command: CliCommand): Promise<CliResult> {
  const output = await new Deno.Command("deno", {
    args: ["run", "--no-prompt", ...command.permissions, cliPath, ...command.args],
    stdin: "null",
    stdout: "piped",
    stderr: command.liveStderr ? "inherit" : "piped",
  }).output();
  return {
    code: output.code,
    stdout: output.stdout,
    stderr: command.liveStderr ? "" : new TextDecoder().decode(output.stderr),
  };
}
