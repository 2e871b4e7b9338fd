import assert from "node:assert/strict";
import { NetworkError } from "../../mod.ts";
import { abortOutcome } from "../../src/core/abort_reason.ts";

const rows: [string, unknown, NetworkError, string][] = [
  [
    "AbortSignal.abort() reason",
    new DOMException("The signal has been aborted", "AbortError"),
    NetworkError.OperationCanceledError,
    "Operation canceled",
  ],
  [
    "AbortSignal.timeout() reason",
    new DOMException("The operation was aborted due to timeout", "TimeoutError"),
    NetworkError.TimeoutError,
    "Operation timed out",
  ],
  [
    "an Error named TimeoutError (not a DOMException)",
    Object.assign(new Error("late"), { name: "TimeoutError" }),
    NetworkError.OperationCanceledError,
    "Operation canceled",
  ],
  ["a user Error", new Error("my reason"), NetworkError.OperationCanceledError, "Operation canceled"],
  ["a string", "stop", NetworkError.OperationCanceledError, "Operation canceled"],
  ["undefined", undefined, NetworkError.OperationCanceledError, "Operation canceled"],
  ["null", null, NetworkError.OperationCanceledError, "Operation canceled"],
];

for (const [name, reason, code, message] of rows) {
  Deno.test(`abortOutcome: ${name} → ${code}`, () => {
    assert.deepEqual(abortOutcome(reason), { code, message });
  });
}
