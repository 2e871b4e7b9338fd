/**
 * The CLI from arguments to exit code: parse, prepare, send, write the body
 * (or the head) to stdout or `-o`, show progress or the `-v` trace on
 * stderr, and map the outcome to an {@linkcode ExitCode} with a message that
 * says what to do.
 *
 * @module
 */

import { NetworkError, networkErrorName, type NetworkReply, NetworkReplyError } from "../mod.ts";
import type { TransferOptions } from "./cli_options.ts";
import { CliError } from "./cli_error.ts";
import { ExitCode, exitCodeFor } from "./exit_codes.ts";
import { helpText, versionText } from "./help_text.ts";
import { openOutputFile } from "./local_files.ts";
import { parseArguments } from "./parse_arguments.ts";
import { prepareTransfer } from "./prepare_transfer.ts";
import { showProgress } from "./progress_meter.ts";
import { stderrSink, type TextSink } from "./text_sink.ts";
import { headLines, traceRequest, traceSignals } from "./verbose_trace.ts";

const encoder = new TextEncoder();

async function writeAll(destination: WritableStream<Uint8Array>, text: string): Promise<void> {
  const writer = destination.getWriter();
  try {
    await writer.write(encoder.encode(text));
  } finally {
    writer.releaseLock();
  }
}

function headText(reply: NetworkReply): string {
  return `${headLines(reply).join("\r\n")}\r\n\r\n`;
}

/** What to add to a failure's message so the user knows the next step. */
function hint(options: TransferOptions, code: NetworkError): string {
  if (code !== NetworkError.SslHandshakeFailedError) return "";
  if (!options.insecure) {
    return "\nnetreply: trust the server's CA with --cacert FILE, or ignore certificate errors with -k";
  }
  if (Deno.permissions.querySync({ name: "sys" }).state === "granted") {
    return "\nnetreply: -k could not ignore the errors: the handshake failed for a reason other than a certificate";
  }
  return "\nnetreply: -k could not ignore the errors: on Deno the socket transport reads the certificate " +
    "chain through node:tls, which needs --allow-sys";
}

async function transfer(options: TransferOptions, stderr: TextSink): Promise<ExitCode> {
  const startedAt = performance.now();
  await using prepared = await prepareTransfer(options, stderr);
  const file = options.output === undefined ? undefined : await openOutputFile(options.output, "-o");
  const destination = file?.writable ?? Deno.stdout.writable;
  const destinationName = options.output === undefined ? "stdout" : `-o ${JSON.stringify(options.output)}`;
  let writeError: unknown;
  try {
    if (options.verbose) {
      traceRequest(stderr, prepared.method, prepared.request.url(), prepared.request.headers());
    }
    const reply = prepared.start();
    if (options.verbose) traceSignals(reply, stderr, startedAt);
    const bodyGoesToTerminal = file === undefined && Deno.stdout.isTerminal();
    if (!options.silent && !options.verbose && !options.headOnly && !bodyGoesToTerminal) {
      showProgress(reply, stderr);
    }
    const cancel = () => reply.abort();
    Deno.addSignalListener("SIGINT", cancel);
    try {
      if (options.headOnly) {
        await reply.done;
        if (reply.status !== 0) {
          await writeAll(destination, headText(reply)).catch((error) => writeError = error);
        }
      } else {
        // A failed reply's body delivers what arrived (an HTTP error's body included), then
        // errors with the NetworkReplyError that the reply reports anyway; any other error is
        // the destination's (the reply is then closed, as body.cancel() does).
        await reply.body.pipeTo(destination, { preventClose: true, preventAbort: true }).catch((error) => {
          if (!(error instanceof NetworkReplyError)) writeError = error;
        });
        await reply.done;
      }
    } finally {
      Deno.removeSignalListener("SIGINT", cancel);
    }
    if (writeError === undefined) return outcome(reply, options, stderr, prepared.refusedRedirect());
  } finally {
    // Closing the file's stream waits for the writes still queued, then closes the file.
    if (file) await destination.close().catch(() => file.close());
  }
  const reason = writeError instanceof Error ? writeError.message : String(writeError);
  stderr.write(`netreply: cannot write the body to ${destinationName}: ${reason}\n`);
  return ExitCode.LocalFile;
}

function outcome(reply: NetworkReply, options: TransferOptions, stderr: TextSink, refused?: URL): ExitCode {
  const code = reply.error();
  if (code === NetworkError.NoError) return ExitCode.Ok;
  if (refused) return ExitCode.Redirect;
  const exitCode = exitCodeFor(code, reply.status);
  stderr.write(`netreply: ${reply.errorString()} (${networkErrorName(code)})${hint(options, code)}\n`);
  return exitCode;
}

/**
 * Runs the CLI with `args` (without the program name) and returns the exit
 * code; the body goes to stdout (or `-o`), diagnostics to stderr.
 *
 * @param args The arguments, e.g. `Deno.args`.
 * @returns The {@linkcode ExitCode} to exit with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./run_cli.ts";
 * assert.equal(await runCli(["--version"]), 0);
 * ```
 */
export async function runCli(args: readonly string[]): Promise<ExitCode> {
  const stderr = stderrSink();
  try {
    const parsed = parseArguments(args);
    if (parsed.kind === "help") {
      await writeAll(Deno.stdout.writable, helpText());
      return ExitCode.Ok;
    }
    if (parsed.kind === "version") {
      await writeAll(Deno.stdout.writable, versionText());
      return ExitCode.Ok;
    }
    return await transfer(parsed.options, stderr);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    stderr.write(`netreply: ${error.message}\n`);
    if (error.exitCode === ExitCode.Usage) stderr.write("Usage: netreply [options] URL (see --help)\n");
    return error.exitCode;
  }
}
