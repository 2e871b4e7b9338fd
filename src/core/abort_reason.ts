/**
 * What an `AbortSignal`'s reason means as a {@linkcode NetworkError}: a
 * TimeoutError DOMException (from `AbortSignal.timeout()`) is `TimeoutError`,
 * anything else `OperationCanceledError`.
 *
 * @module
 */

import { NetworkError } from "./network_error.ts";
import { defaultErrorString } from "./network_error_messages.ts";

/** The code and Qt's message for an abort with `reason`. */
export function abortOutcome(reason: unknown): { code: NetworkError; message: string } {
  const code = reason instanceof DOMException && reason.name === "TimeoutError"
    ? NetworkError.TimeoutError
    : NetworkError.OperationCanceledError;
  return { code, message: defaultErrorString(code) };
}
