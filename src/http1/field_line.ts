/**
 * Parsing one field line of a response head or trailer section
 * (RFC 9112 §5): `name ":" OWS value OWS`, and obs-fold continuation lines.
 * Simple loops over the characters (one per wire byte): no regex, no backtracking.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { type FieldList, parseFieldLine } from "./field_line.ts";
 * const fields: FieldList = { names: [], originalNames: [], values: [] };
 * equal(parseFieldLine("Content-Type:  text/plain ", fields, "header"), undefined);
 * deepEqual(fields.values, ["text/plain"]);
 * ```
 *
 * @module
 */

import { describeByte, HTAB, quoted, SP, TEXT_BYTE, TOKEN_BYTE } from "./wire_bytes.ts";

/** Fields in arrival order: lower-case names, wire-case names and trimmed values, parallel. */
export interface FieldList {
  readonly names: string[];
  readonly originalNames: string[];
  readonly values: string[];
}

const COLON = 0x3a;

/** The index of the first character of `line[start..end)` that may not be in a value, or -1. */
function invalidTextIndex(line: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (TEXT_BYTE[line.charCodeAt(i)] === 0) return i;
  return -1;
}

function isWhitespace(code: number): boolean {
  return code === SP || code === HTAB;
}

/**
 * The trimmed value of `line[start..)`, or why it cannot be a value
 * (`undefined` value and a message).
 */
function fieldValue(
  line: string,
  start: number,
  name: string,
  section: string,
): [string, string | undefined] {
  let end = line.length;
  while (start < end && isWhitespace(line.charCodeAt(start))) start++;
  while (end > start && isWhitespace(line.charCodeAt(end - 1))) end--;
  const bad = invalidTextIndex(line, start, end);
  if (bad < 0) return [line.slice(start, end), undefined];
  return [
    "",
    `Invalid ${section} field ${quoted(name)}: value contains ${describeByte(line.charCodeAt(bad))}`,
  ];
}

/**
 * Appends the field on `line` (without its terminator, not starting with
 * whitespace, one character per wire byte) to `fields`, or returns why it is
 * not a field line (`section` names the section in the message).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseFieldLine } from "./field_line.ts";
 * equal(parseFieldLine("Server : x", { names: [], originalNames: [], values: [] }, "header"), 'Invalid header field "Server": whitespace between the name and the colon');
 * ```
 */
export function parseFieldLine(
  line: string,
  fields: FieldList,
  section: "header" | "trailer",
): string | undefined {
  const end = line.length;
  let colon = 0;
  while (colon < end && TOKEN_BYTE[line.charCodeAt(colon)] === 1) colon++;
  if (colon === end || line.charCodeAt(colon) !== COLON) {
    let space = colon;
    while (space < end && isWhitespace(line.charCodeAt(space))) space++;
    if (space > colon && space < end && line.charCodeAt(space) === COLON && colon > 0) {
      // RFC 9112 §5.1: a server must reject this, and a client must not guess which name was meant.
      return `Invalid ${section} field ${
        quoted(line.slice(0, colon))
      }: whitespace between the name and the colon`;
    }
    const anyColon = line.indexOf(":");
    if (anyColon < 0) return `Invalid ${section} field line ${quoted(line)}: no colon`;
    return `Invalid ${section} field name ${quoted(line.slice(0, anyColon))}: not an RFC 9110 token`;
  }
  if (colon === 0) return `Invalid ${section} field line ${quoted(line)}: empty name`;
  const originalName = line.slice(0, colon);
  const [value, error] = fieldValue(line, colon + 1, originalName, section);
  if (error !== undefined) return error;
  fields.names.push(originalName.toLowerCase());
  fields.originalNames.push(originalName);
  fields.values.push(value);
  return undefined;
}

/**
 * Joins an obs-fold continuation `line` (starting with SP or HTAB) to the
 * last field's value with one space (RFC 9112 §5.2), or returns why it cannot be.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { appendContinuation } from "./field_line.ts";
 * const fields = { names: ["x-a"], originalNames: ["X-A"], values: ["one"] };
 * appendContinuation("\t two", fields, "header");
 * deepEqual(fields.values, [ "one two" ]);
 * ```
 */
export function appendContinuation(
  line: string,
  fields: FieldList,
  section: "header" | "trailer",
): string | undefined {
  const last = fields.values.length - 1;
  if (last < 0) return `Invalid ${section} section: a continuation line comes before any field`;
  const [more, error] = fieldValue(line, 0, fields.originalNames[last], section);
  if (error !== undefined) return error;
  if (more !== "") fields.values[last] = fields.values[last] === "" ? more : `${fields.values[last]} ${more}`;
  return undefined;
}
