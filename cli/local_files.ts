/**
 * The local files a command line names (`-o`, `--cacert`, `@file`), opened
 * so that a refusal says which flag and value were involved: Deno's
 * permission refusal (`NotCapable`) names the `--allow-*` flag to add, any
 * other failure the OS's reason.
 *
 * @module
 */

import { CliError } from "./cli_error.ts";
import { ExitCode } from "./exit_codes.ts";

// Deno: 'Requires read access to "ca.pem", run again with the --allow-read flag'
const DENO_PERMISSION = /Requires (\w+) access/;

function fileError(error: unknown, flag: string, path: string, doing: "read" | "write"): CliError {
  const named = `${flag} ${JSON.stringify(path)}`;
  if (error instanceof Error && error.name === "NotCapable") {
    const kind = DENO_PERMISSION.exec(error.message)?.[1] ?? doing;
    return new CliError(
      ExitCode.PermissionDenied,
      `${named}: ${kind} access was denied by Deno: run with --allow-${kind}=${path}`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new CliError(ExitCode.LocalFile, `${named}: cannot ${doing} the file: ${reason}`, { cause: error });
}

/**
 * Reads a whole file named by `flag`.
 *
 * @param path The file.
 * @param flag The flag that named it (`--cacert`, `-d`), for messages.
 * @returns The file's bytes.
 * @throws {CliError} PermissionDenied (naming `--allow-read=path`) or LocalFile.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLocalFile } from "./local_files.ts";
 * await assert.rejects(readLocalFile("no/such/file", "--cacert"), { exitCode: 3 });
 * ```
 */
export async function readLocalFile(path: string, flag: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw fileError(error, flag, path, "read");
  }
}

/**
 * Reads stdin to its end (`@-`).
 *
 * @returns Every byte of stdin.
 *
 * @example
 * ```ts ignore
 * import { readStdin } from "./local_files.ts";
 * const bytes = await readStdin(); // blocks until stdin ends
 * ```
 */
export async function readStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

/**
 * Creates (or truncates) the file `-o` names, for writing.
 *
 * @param path The file.
 * @param flag The flag that named it, for messages.
 * @returns The open file; the caller closes it (or its `writable`).
 * @throws {CliError} PermissionDenied (naming `--allow-write=path`) or LocalFile.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openOutputFile } from "./local_files.ts";
 * // Exit code 3 when the directory is missing, 4 when Deno refuses write access.
 * await assert.rejects(openOutputFile("no/such/dir/out.bin", "-o"), { name: "CliError" });
 * ```
 */
export async function openOutputFile(path: string, flag: string): Promise<Deno.FsFile> {
  try {
    return await Deno.open(path, { write: true, create: true, truncate: true });
  } catch (error) {
    throw fileError(error, flag, path, "write");
  }
}
