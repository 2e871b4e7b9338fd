/**
 * The error the CLI stops with, carrying its exit code: bad arguments, a
 * local file that cannot be used, a permission Deno refused.
 *
 * @module
 */

import { ExitCode } from "./exit_codes.ts";

/**
 * A failure that ends the command with `exitCode` and `message` on stderr,
 * before (or instead of) any transfer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExitCode } from "./exit_codes.ts";
 * import { CliError } from "./cli_error.ts";
 *
 * const error = new CliError(ExitCode.LocalFile, '-o "out/x": No such file or directory');
 * assert.equal(error.exitCode, 3);
 * ```
 */
export class CliError extends Error {
  /** The code the process exits with. */
  readonly exitCode: ExitCode;

  /**
   * @param exitCode The code the process exits with.
   * @param message What went wrong, naming the flag and value involved.
   * @param options `cause`: the underlying error, if any.
   */
  constructor(exitCode: ExitCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/**
 * Bad command-line arguments ({@linkcode ExitCode.Usage}); the message
 * names the flag and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./cli_error.ts";
 *
 * const error = new UsageError('--timeout "soon": expected a number of seconds greater than 0');
 * assert.equal(error.exitCode, 2);
 * ```
 */
export class UsageError extends CliError {
  /** @param message What is wrong, naming the flag and the value. */
  constructor(message: string) {
    super(ExitCode.Usage, message);
    this.name = "UsageError";
  }
}
