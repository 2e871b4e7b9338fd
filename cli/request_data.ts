/**
 * The request body the data flags describe, with curl's rules: `-d` pieces
 * are form data (CR and LF removed from files, pieces joined with `&`,
 * `application/x-www-form-urlencoded`), `--data-binary` pieces are sent as
 * they are, `--json` pieces are concatenated and sent as `application/json`
 * with `Accept: application/json`.
 *
 * @module
 */

import type { DataPart, DataSource } from "./cli_options.ts";

/** The body and the headers it implies (a `-H` of the same name wins). */
export interface RequestData {
  /** The bytes to send. */
  readonly body: Uint8Array;
  /** Headers the data implies, e.g. `content-type`. */
  readonly headers: readonly (readonly [string, string])[];
}

/** Reads the bytes of a `@file` or `@-` source (the flag is for messages). */
export type SourceReader = (
  source: Exclude<DataSource, { kind: "text" }>,
  flag: string,
) => Promise<Uint8Array>;

const encoder = new TextEncoder();
const CR = 13;
const LF = 10;
const AMPERSAND = encoder.encode("&");

async function concat(pieces: readonly Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await new Blob(pieces as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

async function bytesOf(part: DataPart, read: SourceReader): Promise<Uint8Array> {
  if (part.source.kind === "text") return encoder.encode(part.source.text);
  const bytes = await read(part.source, part.flag);
  return part.encoding === "form" ? bytes.filter((byte) => byte !== CR && byte !== LF) : bytes;
}

/**
 * The body for the data flags, or `undefined` when there are none.
 *
 * @param parts The data flags in order (not mixing `--json` with the others; the parser checks).
 * @param read Reads `@file` and `@-` sources.
 * @returns The body and its implied headers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestData } from "./request_data.ts";
 *
 * const data = await requestData([
 *   { encoding: "form", source: { kind: "text", text: "a=1" }, flag: "-d" },
 *   { encoding: "form", source: { kind: "text", text: "b=2" }, flag: "-d" },
 * ], () => Promise.reject(new Error("no files here")));
 * assert.equal(new TextDecoder().decode(data?.body), "a=1&b=2");
 * assert.deepEqual(data?.headers, [["content-type", "application/x-www-form-urlencoded"]]);
 * ```
 */
export async function requestData(
  parts: readonly DataPart[],
  read: SourceReader,
): Promise<RequestData | undefined> {
  if (parts.length === 0) return undefined;
  const pieces: Uint8Array[] = [];
  for (const part of parts) pieces.push(await bytesOf(part, read));
  if (parts.every((part) => part.encoding === "json")) {
    return {
      body: await concat(pieces),
      headers: [["content-type", "application/json"], ["accept", "application/json"]],
    };
  }
  // curl joins every -d/--data-binary piece with "&" and labels the whole as form data.
  const joined = pieces.flatMap((piece, i) => i === 0 ? [piece] : [AMPERSAND, piece]);
  return { body: await concat(joined), headers: [["content-type", "application/x-www-form-urlencoded"]] };
}
