/**
 * Parsing one field line of a response head or trailer section
 * (RFC 9112 §5): `name ":" OWS value OWS`, and obs-fold continuation lines.
 * Simple loops over the bytes: no regex, no backtracking.
 *
 * @example
 * ```ts
 * import { type FieldList, parseFieldLine } from "./field_line.ts";
 * const fields: FieldList = { names: [], originalNames: [], values: [] };
 * const line = new TextEncoder().encode("Content-Type:  text/plain ");
 * console.log(parseFieldLine(line, 0, line.length, fields, "header"), fields.values); // undefined [ "text/plain" ]
 * ```
 *
 * @module
 */

import { describeByte, HTAB, latin1, quoted, SP, TEXT_BYTE, TOKEN_BYTE } from "./wire_bytes.ts";

/** Fields in arrival order: lower-case names, wire-case names and trimmed values, parallel. */
export interface FieldList {
  readonly names: string[];
  readonly originalNames: string[];
  readonly values: string[];
}

const COLON = 0x3a;

/** The first byte of `bytes[start..end)` that may not be in a value, or -1. */
function invalidTextByte(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (TEXT_BYTE[bytes[i]] === 0) return i;
  return -1;
}

/** `[start, end)` of `bytes[start..end)` without leading and trailing SP and HTAB. */
function trimmed(bytes: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && (bytes[start] === SP || bytes[start] === HTAB)) start++;
  while (end > start && (bytes[end - 1] === SP || bytes[end - 1] === HTAB)) end--;
  return [start, end];
}

/**
 * Appends the field on `bytes[start..end)` (a line without its terminator
 * and not starting with whitespace) to `fields`, or returns why it is not a
 * field line (`section` names the section in the message).
 *
 * @example
 * ```ts
 * import { parseFieldLine } from "./field_line.ts";
 * const line = new TextEncoder().encode("Server : x");
 * console.log(parseFieldLine(line, 0, line.length, { names: [], originalNames: [], values: [] }, "header"));
 * // Invalid header field "Server": whitespace between the name and the colon
 * ```
 */
export function parseFieldLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  fields: FieldList,
  section: "header" | "trailer",
): string | undefined {
  let colon = start;
  while (colon < end && TOKEN_BYTE[bytes[colon]] === 1) colon++;
  if (colon === end || bytes[colon] !== COLON) {
    let space = colon;
    while (space < end && (bytes[space] === SP || bytes[space] === HTAB)) space++;
    if (space > colon && space < end && bytes[space] === COLON && colon > start) {
      // RFC 9112 §5.1: a server must reject this, and a client must not guess which name was meant.
      return `Invalid ${section} field ${
        quoted(latin1(bytes, start, colon))
      }: whitespace between the name and the colon`;
    }
    const anyColon = bytes.subarray(start, end).indexOf(COLON);
    if (anyColon < 0) return `Invalid ${section} field line ${quoted(latin1(bytes, start, end))}: no colon`;
    return `Invalid ${section} field name ${
      quoted(latin1(bytes, start, start + anyColon))
    }: not an RFC 9110 token`;
  }
  if (colon === start) {
    return `Invalid ${section} field line ${quoted(latin1(bytes, start, end))}: empty name`;
  }
  const originalName = latin1(bytes, start, colon);
  const [valueStart, valueEnd] = trimmed(bytes, colon + 1, end);
  const bad = invalidTextByte(bytes, valueStart, valueEnd);
  if (bad >= 0) {
    return `Invalid ${section} field ${quoted(originalName)}: value contains ${describeByte(bytes[bad])}`;
  }
  fields.names.push(originalName.toLowerCase());
  fields.originalNames.push(originalName);
  fields.values.push(latin1(bytes, valueStart, valueEnd));
  return undefined;
}

/**
 * Joins an obs-fold continuation line (`bytes[start..end)`, starting with SP
 * or HTAB) to the last field's value with one space (RFC 9112 §5.2), or
 * returns why it cannot be.
 *
 * @example
 * ```ts
 * import { appendContinuation } from "./field_line.ts";
 * const fields = { names: ["x-a"], originalNames: ["X-A"], values: ["one"] };
 * const line = new TextEncoder().encode("\t two");
 * appendContinuation(line, 0, line.length, fields, "header");
 * console.log(fields.values); // [ "one two" ]
 * ```
 */
export function appendContinuation(
  bytes: Uint8Array,
  start: number,
  end: number,
  fields: FieldList,
  section: "header" | "trailer",
): string | undefined {
  const last = fields.values.length - 1;
  if (last < 0) return `Invalid ${section} section: a continuation line comes before any field`;
  const [valueStart, valueEnd] = trimmed(bytes, start, end);
  const bad = invalidTextByte(bytes, valueStart, valueEnd);
  if (bad >= 0) {
    return `Invalid ${section} field ${quoted(fields.originalNames[last])}: value contains ${
      describeByte(bytes[bad])
    }`;
  }
  if (valueStart === valueEnd) return undefined;
  const more = latin1(bytes, valueStart, valueEnd);
  fields.values[last] = fields.values[last] === "" ? more : `${fields.values[last]} ${more}`;
  return undefined;
}
