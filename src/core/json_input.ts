/**
 * Reading JSON given by a user (persisted state handed back): a string is
 * parsed, a value is taken as it is, and a bad value is described in an
 * error message without dumping it.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { describeJsonValue, parsedJson } from "./json_input.ts";
 * const fail = (what: string): never => {
 *   throw new TypeError(`Cannot read settings: ${what}`);
 * };
 * deepEqual(parsedJson('{"a":1}', fail), { a: 1 });
 * equal(describeJsonValue([1]), "an array");
 * equal(describeJsonValue("x"), '"x"');
 * ```
 *
 * @module
 */

/**
 * `json` itself, or the value a JSON string holds; for a string that is not
 * JSON, what `fail` throws with the parser's message.
 */
export function parsedJson(json: unknown, fail: (what: string) => never): unknown {
  if (typeof json !== "string") return json;
  try {
    return JSON.parse(json);
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** A short description of a bad value for an error message: strings quoted, objects and arrays by kind. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
