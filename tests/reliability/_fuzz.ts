/**
 * Shared pieces of the fuzz suites (`fuzz_*_test.ts`): fixed seeds and run
 * counts, the per-case hang guard, text and byte generators that reach the
 * corners of HTTP grammars, and byte-level mutations of valid input.
 *
 * Every suite runs a fixed number of cases from a fixed seed, so a failure
 * reproduces with the seed and path that fast-check prints, and the whole
 * fuzz run costs the same on every CI run.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { fuzzParameters, withinHangLimit } from "./_fuzz.ts";
 * fc.assert(fc.property(fc.string(), withinHangLimit((text) => void text.trim())), fuzzParameters(1, 100));
 * ```
 *
 * @module
 */

import fc from "fast-check";

/**
 * The longest one case may run before it counts as a hang. Every input is at
 * most a few tens of KiB and a case takes microseconds, so only an endless or
 * badly super-linear loop gets anywhere near it: this is a hang detector, not
 * a speed requirement.
 */
export const HANG_LIMIT_MS = 5_000;

/** fast-check parameters of one fuzz property: its seed and how many cases it runs. */
export function fuzzParameters(seed: number, numRuns: number): fc.Parameters<unknown> {
  return { seed, numRuns };
}

/**
 * Wraps a property's check so that a case that runs longer than
 * {@linkcode HANG_LIMIT_MS} fails, naming how long it took.
 */
export function withinHangLimit<A extends unknown[]>(check: (...args: A) => void): (...args: A) => void {
  return (...args: A): void => {
    const started = performance.now();
    check(...args);
    const took = performance.now() - started;
    if (took > HANG_LIMIT_MS) {
      throw new Error(`A case ran for ${Math.round(took)} ms, over the ${HANG_LIMIT_MS} ms hang limit`);
    }
  };
}

/**
 * Text from `alphabet`, sometimes long: a short random string, or a random
 * piece repeated up to `maxRepeat` times between two short strings (the shape
 * that exposes backtracking regular expressions and quadratic scans).
 */
export function textFrom(alphabet: string, maxLength = 60, maxRepeat = 2_000): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet);
  const short = fc.string({ unit, maxLength });
  const repeated = fc.tuple(short, fc.string({ unit, minLength: 1, maxLength: 6 }), fc.nat(maxRepeat), short)
    .map(([before, piece, times, after]) => before + piece.repeat(times) + after);
  return fc.oneof({ weight: 6, arbitrary: short }, { weight: 1, arbitrary: repeated });
}

/**
 * Any text: printable ASCII weighted up, with controls (CR, LF, NUL, HTAB,
 * DEL), Latin-1, BMP characters beyond it and lone surrogates mixed in.
 */
export function anyText(maxLength = 60): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: textFrom(PRINTABLE_ASCII + "\r\n\0\t\x7f\x01\x1f", maxLength) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-composite", maxLength }) },
  );
}

/**
 * Field values near a grammar: any text, text from the grammar's own
 * characters (`alphabet`), or one of the valid `samples` with up to five
 * {@linkcode mutation}s, sometimes with a long whitespace run inside.
 */
export function nearGrammar(
  samples: readonly string[],
  alphabet: string,
  maxLength = 80,
): fc.Arbitrary<string> {
  const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(mutation, { maxLength: 5 }))
    .map(([sample, mutations]) => mutateText(sample, mutations));
  return fc.oneof(
    { weight: 6, arbitrary: anyText(60) },
    { weight: 6, arbitrary: textFrom(alphabet, maxLength) },
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: whitespaceRunIn(mutated) },
  );
}

/**
 * `text` with a run of 20 000 to 60 000 spaces or tabs and an "x" inserted
 * somewhere: a parser that trims or scans whitespace in quadratic time takes
 * far beyond {@linkcode HANG_LIMIT_MS} on it (the regular expression
 * `/^[ \t]+|[ \t]+$/g` did), a linear one a millisecond.
 */
export function whitespaceRunIn(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.nat(), fc.integer({ min: 20_000, max: 60_000 }), fc.constantFrom(" ", "\t", " \t"))
    .map(([base, at, length, unit]) => {
      const where = at % (base.length + 1);
      return base.slice(0, where) + unit.repeat(Math.ceil(length / unit.length)) + "x" + base.slice(where);
    });
}

/** `text` with each letter upper- or lower-cased at random (names that compare case-insensitively). */
export function randomCase(text: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, i) => upper[i] ? char.toUpperCase() : char.toLowerCase()).join(""));
}

/** Every printable ASCII character, space included. */
export const PRINTABLE_ASCII: string = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i))
  .join("");

/** RFC 9110 §5.6.2 tchar. */
export const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** An RFC 9110 token of 1 to `maxLength` characters. */
export function token(maxLength = 12): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength });
}

/** One edit of a byte string. */
export type Mutation =
  | { readonly kind: "flip"; readonly at: number; readonly byte: number }
  | { readonly kind: "insert"; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: "delete"; readonly at: number; readonly length: number }
  | { readonly kind: "repeat"; readonly at: number; readonly length: number; readonly times: number };

/** Bytes that change the meaning of an HTTP/1.1 message wherever they land. */
const MEANINGFUL = ["\r\n", "\n", "\r", ":", " ", "\t", "\0", ";", ",", '"', "0", "F", "-1", "\r\n\r\n"]
  .map((text) => [...text].map((char) => char.charCodeAt(0)));

/**
 * An edit at a relative position (`at` is a fraction of the length, read by
 * {@linkcode mutate}): a byte replaced, meaningful or random bytes inserted,
 * a range deleted, or a range repeated.
 */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.constantFrom(...MEANINGFUL),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }),
    ),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant("repeat" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
    times: fc.integer({ min: 2, max: 200 }),
  }),
);

function mutateUnits(units: number[], mutations: readonly Mutation[]): number[] {
  let out = units;
  for (const edit of mutations) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + (edit.kind === "insert" ? 1 : 0));
    if (edit.kind === "flip") {
      if (out.length > 0) out[at] = edit.byte;
    } else if (edit.kind === "insert") {
      out.splice(at, 0, ...edit.bytes);
    } else if (edit.kind === "delete") {
      out.splice(at, edit.length);
    } else {
      const piece = out.slice(at, at + edit.length);
      out = [
        ...out.slice(0, at),
        ...Array.from({ length: edit.times }, () => piece).flat(),
        ...out.slice(at),
      ];
    }
  }
  return out;
}

/** `bytes` with `mutations` applied in order, each at its position modulo the current length. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return new Uint8Array(mutateUnits([...bytes], mutations));
}

/** `text` with `mutations` applied to its UTF-16 code units as {@linkcode mutate} applies them to bytes. */
export function mutateText(text: string, mutations: readonly Mutation[]): string {
  const units = mutateUnits(text.split("").map((unit) => unit.charCodeAt(0)), mutations);
  let out = "";
  for (const unit of units) out += String.fromCharCode(unit);
  return out;
}

/** Cut points for {@linkcode cut}: fractions of the length. */
export const cutPoints: fc.Arbitrary<number[]> = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
  maxLength: 8,
});

/** Cuts `bytes` at the given fractions of its length (empty pieces included, as a socket may deliver). */
export function cut(bytes: Uint8Array, fractions: readonly number[]): Uint8Array[] {
  const points = fractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}
