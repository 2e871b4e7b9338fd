/**
 * Parsing of the `Strict-Transport-Security` response header (RFC 6797 §6.1),
 * and the choice among several such fields (RFC 6797 §8.1, as Qt's
 * QHstsHeaderParser makes it).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseStrictTransportSecurity } from "./strict_transport_security.ts";
 * const parsed = parseStrictTransportSecurity("max-age=31536000; includeSubDomains");
 * equal(parsed.valid && parsed.maxAge, 31536000);
 * ```
 *
 * @module
 */

/**
 * What a `Strict-Transport-Security` field says, or why it says nothing: a
 * field that breaks the grammar is ignored as a whole (RFC 6797 §8.1), and
 * `reason` tells why in one sentence.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseStrictTransportSecurity, type StrictTransportSecurity } from "./strict_transport_security.ts";
 * const parsed: StrictTransportSecurity = parseStrictTransportSecurity("includeSubDomains");
 * equal(parsed.valid ? "valid" : parsed.reason, 'Ignoring Strict-Transport-Security "includeSubDomains": max-age is missing');
 * ```
 */
export type StrictTransportSecurity =
  | {
    readonly valid: true;
    /** Seconds the host stays a known HSTS host; 0 means "forget the host" (RFC 6797 §6.1.1). */
    readonly maxAge: number;
    /** Whether the policy covers sub-domains too (RFC 6797 §6.1.2). */
    readonly includeSubDomains: boolean;
  }
  | { readonly valid: false; readonly reason: string };

/**
 * The largest max-age kept, in seconds (2^31, about 68 years). RFC 6797
 * §6.1.1 takes delta-seconds from HTTP/1.1, whose caching rules (RFC 9111
 * §1.2.2) read any larger value as 2^31; longer would overflow a `Date`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MAX_HSTS_MAX_AGE, parseStrictTransportSecurity } from "./strict_transport_security.ts";
 * const parsed = parseStrictTransportSecurity("max-age=99999999999999999999");
 * equal(parsed.valid && parsed.maxAge, MAX_HSTS_MAX_AGE);
 * ```
 */
export const MAX_HSTS_MAX_AGE = 2 ** 31;

// RFC 9110 §5.6.2 tchar.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const DELTA_SECONDS = /^[0-9]+$/;

function isOws(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

// RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text.
function isQdtext(code: number): boolean {
  return code === 0x09 || code === 0x20 || code === 0x21 || (code >= 0x23 && code <= 0x5b) ||
    (code >= 0x5d && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

// RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
function isQuotedPairChar(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

class InvalidField extends Error {}

/** Reads one field value left to right; each `read*` advances `at`. */
class DirectiveReader {
  at = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }

  get next(): string | undefined {
    return this.text[this.at];
  }

  skipOws(): void {
    while (isOws(this.next)) this.at++;
  }

  readToken(): string {
    const start = this.at;
    while (!this.done && TCHAR.test(this.text[this.at])) this.at++;
    return this.text.slice(start, this.at);
  }

  readQuotedString(): string {
    this.at++; // the opening DQUOTE
    let value = "";
    while (!this.done) {
      const char = this.text[this.at];
      const code = char.charCodeAt(0);
      if (char === '"') {
        this.at++;
        return value;
      }
      if (char === "\\") {
        const escaped = this.text[this.at + 1];
        if (escaped === undefined) break;
        if (!isQuotedPairChar(escaped.charCodeAt(0))) {
          throw new InvalidField(
            `character ${JSON.stringify(escaped)} cannot be escaped at offset ${this.at + 1}`,
          );
        }
        value += escaped;
        this.at += 2;
        continue;
      }
      if (!isQdtext(code)) {
        throw new InvalidField(
          `character ${JSON.stringify(char)} is not allowed in a quoted-string at offset ${this.at}`,
        );
      }
      value += char;
      this.at++;
    }
    throw new InvalidField("a quoted-string is not closed");
  }

  /** A directive value: a token or a quoted-string (RFC 6797 §6.1). */
  readValue(name: string): string {
    if (this.next === '"') return this.readQuotedString();
    const token = this.readToken();
    if (token === "") {
      throw new InvalidField(
        this.done
          ? `directive "${name}" has "=" but no value`
          : `unexpected ${JSON.stringify(this.next)} at offset ${this.at}`,
      );
    }
    return token;
  }
}

/**
 * Parses one `Strict-Transport-Security` field value by the grammar of RFC
 * 6797 §6.1:
 *
 * - directives separated by `;`, with optional whitespace around them; empty
 *   directives (`;;`) are allowed;
 * - a directive is `name` or `name=value`, the value a token or a
 *   quoted-string (`max-age="60"` is `max-age=60`); names are
 *   case-insensitive;
 * - `max-age` is required and is a number of seconds (RFC 6797 §6.1.1);
 *   values above {@linkcode MAX_HSTS_MAX_AGE} are read as that;
 * - `includeSubDomains` takes no value (RFC 6797 §6.1.2);
 * - a directive that appears twice makes the field invalid (RFC 6797 §6.1
 *   item 2); unknown directives are ignored (item 3).
 *
 * A field that breaks any of these is ignored as a whole (RFC 6797 §8.1):
 * the result is `{ valid: false, reason }`, never an exception.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { parseStrictTransportSecurity } from "./strict_transport_security.ts";
 * deepEqual(parseStrictTransportSecurity('MAX-AGE="60"; preload'), { valid: true, maxAge: 60, includeSubDomains: false });
 * deepEqual(parseStrictTransportSecurity("max-age=60; max-age=70"), {
 *   valid: false,
 *   reason: 'Ignoring Strict-Transport-Security "max-age=60; max-age=70": directive "max-age" appears twice',
 * });
 * ```
 */
export function parseStrictTransportSecurity(fieldValue: string): StrictTransportSecurity {
  if (typeof fieldValue !== "string") {
    return { valid: false, reason: `Ignoring Strict-Transport-Security ${String(fieldValue)}: not a string` };
  }
  try {
    return { valid: true, ...readDirectives(fieldValue) };
  } catch (error) {
    if (!(error instanceof InvalidField)) throw error;
    return {
      valid: false,
      reason: `Ignoring Strict-Transport-Security ${JSON.stringify(fieldValue)}: ${error.message}`,
    };
  }
}

function readDirectives(fieldValue: string): { maxAge: number; includeSubDomains: boolean } {
  const reader = new DirectiveReader(fieldValue);
  const seen = new Set<string>();
  let maxAge: number | undefined;
  let includeSubDomains = false;
  while (true) {
    reader.skipOws();
    if (reader.done) break;
    if (reader.next === ";") {
      reader.at++;
      continue;
    }
    const nameAt = reader.at;
    const name = reader.readToken();
    if (name === "") {
      throw new InvalidField(
        `expected a directive name at offset ${nameAt}, found ${JSON.stringify(reader.next)}`,
      );
    }
    const key = name.toLowerCase();
    if (seen.has(key)) throw new InvalidField(`directive "${key}" appears twice`);
    seen.add(key);
    reader.skipOws();
    let value: string | undefined;
    if (reader.next === "=") {
      reader.at++;
      reader.skipOws();
      value = reader.readValue(name);
      reader.skipOws();
    }
    if (!reader.done && reader.next !== ";") {
      throw new InvalidField(`unexpected ${JSON.stringify(reader.next)} at offset ${reader.at}`);
    }
    if (key === "max-age") {
      if (value === undefined) throw new InvalidField("max-age has no value");
      if (!DELTA_SECONDS.test(value)) {
        throw new InvalidField(`max-age ${JSON.stringify(value)} is not a number of seconds`);
      }
      maxAge = Math.min(Number(value), MAX_HSTS_MAX_AGE);
    } else if (key === "includesubdomains") {
      if (value !== undefined) {
        throw new InvalidField(`includeSubDomains takes no value, got ${JSON.stringify(value)}`);
      }
      includeSubDomains = true;
    }
  }
  if (maxAge === undefined) throw new InvalidField("max-age is missing");
  return { maxAge, includeSubDomains };
}

/**
 * Splits a field value at the commas that are outside quoted-strings. The STS
 * grammar has no comma, so a comma there can only come from a recipient that
 * joined several field lines into one (RFC 9110 §5.3), as `fetch`'s
 * `Headers.get()` does; splitting gives the original lines back.
 */
function splitJoinedFields(fieldValue: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < fieldValue.length; i++) {
    const char = fieldValue[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) {
      fields.push(fieldValue.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(fieldValue.slice(start));
  return fields;
}

/**
 * The policy a response sets: the first valid `Strict-Transport-Security`
 * field, as Qt reads them (invalid fields are skipped; RFC 6797 §8.1 says to
 * process only the first field, and an invalid field is as if absent).
 * `fieldValues` are the field lines in order; a line that a recipient
 * joined with commas (`fetch` does) is split again first. With no valid
 * field the result is invalid, with the first field's reason, or
 * `No Strict-Transport-Security field` when there is none.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { firstValidStrictTransportSecurity } from "./strict_transport_security.ts";
 * deepEqual(firstValidStrictTransportSecurity(["max-age=x", "max-age=60", "max-age=70"]), { valid: true, maxAge: 60, includeSubDomains: false });
 * deepEqual(firstValidStrictTransportSecurity("max-age=x, max-age=60; includeSubDomains"), { valid: true, maxAge: 60, includeSubDomains: true });
 * deepEqual(firstValidStrictTransportSecurity([]), { valid: false, reason: "No Strict-Transport-Security field" });
 * ```
 */
export function firstValidStrictTransportSecurity(
  fieldValues: string | readonly string[],
): StrictTransportSecurity {
  const lines = typeof fieldValues === "string" ? [fieldValues] : fieldValues;
  let firstInvalid: StrictTransportSecurity | undefined;
  for (const line of lines) {
    for (const field of typeof line === "string" ? splitJoinedFields(line) : [line]) {
      const parsed = parseStrictTransportSecurity(field);
      if (parsed.valid) return parsed;
      firstInvalid ??= parsed;
    }
  }
  return firstInvalid ?? { valid: false, reason: "No Strict-Transport-Security field" };
}
