/**
 * What a {@linkcode ResponseParser} reported for some bytes, in a shape that
 * compares with `assert.deepEqual`: the heads, the body bytes joined, and the
 * end or the error.
 *
 * @module
 */

import {
  type ResponseParseEvent,
  ResponseParser,
  type ResponseParserOptions,
} from "../../src/http1/response_parser.ts";

/** One head as plain data. */
export interface HeadOutcome {
  status: number;
  reasonPhrase: string;
  version: "1.0" | "1.1";
  headers: [string, string][];
  originalNames: string[];
  body: "none" | "length" | "chunked" | "close";
  contentLength: number;
  keepAlive: boolean;
}

/** Everything the parser reported. */
export interface ParseOutcome {
  heads: HeadOutcome[];
  /** The body bytes, one character per byte. */
  body: string;
  end?: { trailers: [string, string][] | undefined; reusable: boolean };
  error?: { code: number; message: string };
  /** Events after the end or the error (must stay 0). */
  eventsAfterDone: number;
}

/** Bytes of a string with one character per byte. */
export function wire(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Pushes `chunks` one after the other, then `finish()` if asked, and records what came out. */
export function parseChunks(
  options: ResponseParserOptions,
  chunks: readonly Uint8Array[],
  finish: boolean,
): { outcome: ParseOutcome; parser: ResponseParser } {
  const parser = new ResponseParser(options);
  const outcome: ParseOutcome = { heads: [], body: "", eventsAfterDone: 0 };
  const record = (events: ResponseParseEvent[], chunk: Uint8Array | undefined): void => {
    for (const event of events) {
      if (outcome.end !== undefined || outcome.error !== undefined) outcome.eventsAfterDone++;
      if (event.type === "head") {
        const head = event.head;
        outcome.heads.push({
          status: head.status,
          reasonPhrase: head.reasonPhrase,
          version: head.version,
          headers: head.headers.toListOfPairs(),
          originalNames: [...head.originalNames],
          body: head.body,
          contentLength: head.contentLength,
          keepAlive: head.keepAlive,
        });
      } else if (event.type === "body") {
        // Zero copies: every body piece is a view of the chunk that was pushed.
        if (chunk === undefined || event.bytes.buffer !== chunk.buffer) {
          throw new Error("Body bytes were copied");
        }
        outcome.body += String.fromCharCode(...event.bytes);
      } else if (event.type === "end") {
        outcome.end = { trailers: event.trailers?.toListOfPairs(), reusable: event.reusable };
      } else {
        outcome.error = { code: event.code, message: event.message };
      }
    }
  };
  for (const chunk of chunks) record(parser.push(chunk), chunk);
  if (finish) record(parser.finish(), undefined);
  return { outcome, parser };
}
