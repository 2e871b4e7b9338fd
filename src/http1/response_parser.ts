/**
 * {@linkcode ResponseParser}: an incremental HTTP/1.1 response parser
 * (RFC 9112) over the bytes a socket delivers, emitting the final head, body
 * pieces (views of the pushed bytes, never copies) and the end.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { ResponseParser } from "./response_parser.ts";
 * const parser = new ResponseParser({ method: "GET" });
 * const wire = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 * deepEqual(parser.push(wire).map((event) => event.type), [ "head", "body", "end" ]);
 * ```
 *
 * @module
 */

import { appendFetchField, HttpHeaders } from "../core/http_headers.ts";
import { NetworkError } from "../core/network_error.ts";
import { defaultErrorString } from "../core/network_error_messages.ts";
import { appendContinuation, type FieldList, parseFieldLine } from "./field_line.ts";
import { type HeaderLimits, resolveHeaderLimits } from "./header_limits.ts";
import { responseFraming } from "./response_framing.ts";
import { CR, decodeText, describeByte, HTAB, latin1, LF, quoted, SP, TEXT_BYTE } from "./wire_bytes.ts";

/** A final response head as the server sent it. */
export interface ParsedResponseHead {
  /** The three-digit status code. */
  readonly status: number;
  /** The server's reason phrase, verbatim (`""` when absent). */
  readonly reasonPhrase: string;
  /** HTTP/1.0, or 1.1 (also for a later 1.x). */
  readonly version: "1.0" | "1.1";
  /** Arrival order, duplicates kept, names lower-case, values trimmed, obs-fold joined with one space. */
  readonly headers: HttpHeaders;
  /** The same fields' names with their wire case (parallel to `headers`). */
  readonly originalNames: readonly string[];
  /** Where the body ends: no body, after `contentLength` bytes, at the last chunk, or when the peer closes. */
  readonly body: "none" | "length" | "chunked" | "close";
  /** -1 unless `body` is `"length"`. */
  readonly contentLength: number;
  /**
   * Whether the connection may carry another request after this response
   * (HTTP/1.1 without `Connection: close`, HTTP/1.0 with keep-alive; false for
   * a close-delimited body and for Transfer-Encoding with Content-Length).
   */
  readonly keepAlive: boolean;
}

/** What {@linkcode ResponseParser.push} and {@linkcode ResponseParser.finish} report, in order. */
export type ResponseParseEvent =
  /** The final (non-1xx) head; 1xx heads are skipped. */
  | { readonly type: "head"; readonly head: ParsedResponseHead }
  /** Body bytes: a view of the pushed bytes, never a copy. */
  | { readonly type: "body"; readonly bytes: Uint8Array }
  /** The response is complete; `reusable` when the connection may carry the next request. */
  | { readonly type: "end"; readonly trailers: HttpHeaders | undefined; readonly reusable: boolean }
  /** The response cannot be read further. */
  | { readonly type: "error"; readonly code: NetworkError; readonly message: string };

/** What a {@linkcode ResponseParser} needs to know about its request and its limits. */
export interface ResponseParserOptions {
  /** The request method: HEAD responses have no body (nor do 204, 304, 1xx). */
  readonly method: string;
  /** The most fields in the head or the trailers (default 100). */
  readonly maxFields?: number;
  /** The longest field line in bytes (default 100 KiB). */
  readonly maxFieldSize?: number;
  /** The largest head in bytes, skipped 1xx heads included (default 256 KiB); also for trailers. */
  readonly maxHeaderSize?: number;
}

// Where the parser is in the response.
const STATUS_LINE = 0;
const HEAD_FIELDS = 1;
const BODY_LENGTH = 2;
const BODY_CLOSE = 3;
const CHUNK_SIZE = 4;
const CHUNK_DATA = 5;
const CHUNK_DATA_CR = 6;
const CHUNK_DATA_LF = 7;
const TRAILER_FIELDS = 8;
const DONE = 9;

const SEMICOLON = 0x3b;
/** How every status line starts (RFC 9112 §2.3, §4). */
const HTTP_PREFIX = "HTTP/";

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function newFieldList(): FieldList {
  return { names: [], originalNames: [], values: [] };
}

/**
 * Parses one HTTP/1.1 response incrementally. Feed it every read with
 * {@linkcode ResponseParser.push} and tell it when the peer closed with
 * {@linkcode ResponseParser.finish}; it never throws on any input.
 *
 * - The status line is `HTTP/1.x SP 3DIGIT [SP reason]`; bare LF ends lines too.
 * - 1xx heads are skipped (101 is a ProtocolFailure: no upgrades); their
 *   bytes count toward `maxHeaderSize`.
 * - Malformed framing or a limit exceeded is a `ProtocolFailure` whose
 *   message says what was wrong; a close before the response is complete is
 *   a `RemoteHostClosedError`, except for a close-delimited body, which it ends.
 *
 * @example A chunked response pushed in two pieces
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ResponseParser } from "./response_parser.ts";
 * const parser = new ResponseParser({ method: "GET" });
 * const encoder = new TextEncoder();
 * parser.push(encoder.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"));
 * const events = parser.push(encoder.encode("c\r\n0\r\nX-Sum: 1\r\n\r\n"));
 * const end = events[events.length - 1];
 * equal(end.type === "end" && end.trailers?.value("x-sum"), "1");
 * equal(parser.done, true);
 * ```
 *
 * @example A malformed status line
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ResponseParser } from "./response_parser.ts";
 * const [error] = new ResponseParser({ method: "GET" }).push(new TextEncoder().encode("ICY 200 OK\r\n"));
 * equal(error.type === "error" && error.code, 399);
 * ```
 */
export class ResponseParser {
  readonly #method: string;
  readonly #limits: HeaderLimits;
  #state = STATUS_LINE;
  #started = false;
  #leftover = 0;
  /** A line whose end has not arrived yet. */
  #pending: Uint8Array = new Uint8Array(0);
  #pendingLength = 0;
  /** Bytes of the head (1xx heads included) or of the trailer section so far. */
  #sectionBytes = 0;
  #status = 0;
  #reasonPhrase = "";
  #version: "1.0" | "1.1" = "1.1";
  #fields: FieldList = newFieldList();
  /** Bytes left of a Content-Length body or of the current chunk. */
  #remaining = 0;
  #keepAlive = false;
  /** Set when the response ended during this push: the end event goes last, once leftover bytes are known. */
  #ended = false;
  #trailers: HttpHeaders | undefined;
  /**
   * The text of the current section's lines in the bytes being pushed, decoded
   * at once (one native call rather than one per line); only valid during one push.
   */
  #window = "";
  #windowBytes: Uint8Array | undefined;
  #windowStart = 0;
  #windowEnd = 0;

  /**
   * A parser for the response to a request with `options.method`.
   *
   * @throws {RangeError} If a limit is given that is not a positive integer.
   */
  constructor(options: ResponseParserOptions) {
    this.#method = options.method;
    this.#limits = resolveHeaderLimits(options);
  }

  /** True after "end" or "error". */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** Whether any byte of a response has been seen (a request is re-sent only if not). */
  get started(): boolean {
    return this.#started;
  }

  /** Bytes received after the response ended (a server that sends more than it framed). */
  get leftover(): number {
    return this.#leftover;
  }

  /**
   * Parses the next bytes the peer sent, returning the events they complete,
   * in order. Never throws. After "end" or "error" nothing more is consumed:
   * the bytes are only counted in {@linkcode ResponseParser.leftover}. An
   * "end" is `reusable` only if the head allows keep-alive and no byte
   * followed the response in the same push.
   */
  push(bytes: Uint8Array): ResponseParseEvent[] {
    const events: ResponseParseEvent[] = [];
    const end = bytes.length;
    if (this.#state === DONE) {
      this.#leftover += end;
      return events;
    }
    if (end > 0) this.#started = true;
    let pos = 0;
    while (pos < end) {
      const state = this.#state;
      if (state === BODY_LENGTH || state === CHUNK_DATA) {
        const take = Math.min(this.#remaining, end - pos);
        events.push({ type: "body", bytes: bytes.subarray(pos, pos + take) });
        pos += take;
        this.#remaining -= take;
        if (this.#remaining === 0) {
          if (state === BODY_LENGTH) this.#end(undefined);
          else this.#state = CHUNK_DATA_CR;
        }
      } else if (state === BODY_CLOSE) {
        events.push({ type: "body", bytes: pos === 0 ? bytes : bytes.subarray(pos) });
        pos = end;
      } else if (state === CHUNK_DATA_CR || state === CHUNK_DATA_LF) {
        const byte = bytes[pos++];
        if (byte === LF) this.#state = CHUNK_SIZE;
        else if (byte === CR && state === CHUNK_DATA_CR) this.#state = CHUNK_DATA_LF;
        else {this.#fail(
            events,
            NetworkError.ProtocolFailure,
            "Invalid chunked body: missing CRLF after chunk data",
          );}
      } else if (state === DONE) {
        break;
      } else {
        pos = this.#line(bytes, pos, events);
      }
    }
    if (this.#state === DONE) this.#leftover += end - pos;
    this.#windowBytes = undefined;
    this.#window = "";
    if (this.#ended) {
      this.#ended = false;
      events.push({
        type: "end",
        trailers: this.#trailers,
        reusable: this.#keepAlive && this.#leftover === 0,
      });
    }
    return events;
  }

  /**
   * The peer closed its side: "end" for a close-delimited body (not
   * reusable), an "error" (RemoteHostClosedError) if the response is not
   * complete, nothing if it already ended.
   */
  finish(): ResponseParseEvent[] {
    if (this.#state === DONE) return [];
    if (this.#state === BODY_CLOSE) {
      this.#state = DONE;
      return [{ type: "end", trailers: undefined, reusable: false }];
    }
    const events: ResponseParseEvent[] = [];
    // Qt reports a truncated head or body, and a close before any byte, the same way.
    this.#fail(
      events,
      NetworkError.RemoteHostClosedError,
      defaultErrorString(NetworkError.RemoteHostClosedError),
    );
    return events;
  }

  #fail(events: ResponseParseEvent[], code: NetworkError, message: string): void {
    events.push({ type: "error", code, message });
    this.#state = DONE;
    this.#pendingLength = 0;
  }

  #end(trailers: HttpHeaders | undefined): void {
    this.#state = DONE;
    this.#ended = true;
    this.#trailers = trailers;
  }

  /** Consumes one line (or what there is of it) from `bytes[pos..]`; returns where it stopped. */
  #line(bytes: Uint8Array, pos: number, events: ResponseParseEvent[]): number {
    const lf = bytes.indexOf(LF, pos);
    if (lf < 0) {
      this.#keep(bytes, pos, bytes.length);
      if (this.#state === STATUS_LINE) this.#checkPartialStatusLine(events);
      if (this.#state !== DONE) this.#checkPartialLine(events);
      return bytes.length;
    }
    let line = bytes;
    let start = pos;
    let stop = lf;
    const whole = this.#pendingLength === 0;
    if (!whole) {
      this.#keep(bytes, pos, lf);
      line = this.#pending;
      start = 0;
      stop = this.#pendingLength;
      this.#pendingLength = 0;
    }
    const state = this.#state;
    const inSection = state !== CHUNK_SIZE;
    if (inSection) this.#sectionBytes += stop - start + 1;
    if (stop > start && line[stop - 1] === CR) stop--;
    if (stop - start > this.#limits.maxFieldSize) {
      this.#failLimit(events, "maxFieldSize");
    } else if (!inSection) {
      this.#chunkSizeLine(line, start, stop, events);
    } else if (this.#sectionBytes > this.#limits.maxHeaderSize) {
      this.#failLimit(events, "maxHeaderSize");
    } else {
      const text = whole ? this.#windowText(bytes, start, stop, lf) : decodeText(line, start, stop);
      if (state === STATUS_LINE) this.#statusLine(text, events);
      else this.#fieldLine(text, events, state === HEAD_FIELDS ? "header" : "trailer");
    }
    return lf + 1;
  }

  /** The text of `bytes[start..stop)`, a line ending at `lf`, from the window over its section. */
  #windowText(bytes: Uint8Array, start: number, stop: number, lf: number): string {
    if (this.#windowBytes !== bytes || start < this.#windowStart || lf >= this.#windowEnd) {
      // The window runs to the section's blank line, to the end of the bytes, or to the size limit.
      let end = lf + 1;
      const limit = start + this.#limits.maxHeaderSize;
      if (stop > start) {
        while (end < limit) {
          const next = bytes.indexOf(LF, end);
          if (next < 0) break;
          const blank = next === end || (next === end + 1 && bytes[end] === CR);
          end = next + 1;
          if (blank) break;
        }
      }
      this.#window = decodeText(bytes, start, end);
      this.#windowBytes = bytes;
      this.#windowStart = start;
      this.#windowEnd = end;
    }
    return this.#window.slice(start - this.#windowStart, stop - this.#windowStart);
  }

  #keep(bytes: Uint8Array, from: number, to: number): void {
    const length = this.#pendingLength + to - from;
    if (this.#pending.length < length) {
      const grown = new Uint8Array(Math.max(length, this.#pending.length * 2, 256));
      grown.set(this.#pending.subarray(0, this.#pendingLength));
      this.#pending = grown;
    }
    this.#pending.set(bytes.subarray(from, to), this.#pendingLength);
    this.#pendingLength = length;
  }

  /** Fails as soon as an unfinished line is certain to break a limit, so a flood is not buffered. */
  #checkPartialLine(events: ResponseParseEvent[]): void {
    // One byte of slack: the line's CR may be in it.
    if (this.#pendingLength > this.#limits.maxFieldSize + 1) this.#failLimit(events, "maxFieldSize");
    else if (
      this.#state !== CHUNK_SIZE && this.#sectionBytes + this.#pendingLength > this.#limits.maxHeaderSize
    ) {
      this.#failLimit(events, "maxHeaderSize");
    }
  }

  #failLimit(events: ResponseParseEvent[], limit: "maxFieldSize" | "maxHeaderSize"): void {
    const section = this.#state === TRAILER_FIELDS ? "trailer" : "header";
    const message = limit === "maxHeaderSize"
      ? `Response ${section} section is larger than the limit of ${this.#limits.maxHeaderSize} bytes (maxHeaderSize)`
      : this.#state === CHUNK_SIZE
      ? `Chunk size line is longer than the limit of ${this.#limits.maxFieldSize} bytes (maxFieldSize)`
      : `Response ${section} line is longer than the limit of ${this.#limits.maxFieldSize} bytes (maxFieldSize)`;
    this.#fail(events, NetworkError.ProtocolFailure, message);
  }

  /**
   * Fails an unfinished status line as soon as its first five bytes are known
   * and are not "HTTP/" (as Qt's QHttpNetworkReply does), so bytes that are
   * not HTTP fail at once rather than wait for a line end that may never come.
   */
  #checkPartialStatusLine(events: ResponseParseEvent[]): void {
    const pending = this.#pending;
    const length = this.#pendingLength;
    // With exactly five bytes ending in CR, the line may turn out to be four bytes long.
    if (length < HTTP_PREFIX.length || (length === HTTP_PREFIX.length && pending[length - 1] === CR)) return;
    for (let i = 0; i < HTTP_PREFIX.length; i++) {
      if (pending[i] !== HTTP_PREFIX.charCodeAt(i)) {
        return this.#failNotHttp(events, decodeText(pending, 0, HTTP_PREFIX.length));
      }
    }
  }

  /** The start line is not HTTP: the message quotes its first five bytes, however they arrived. */
  #failNotHttp(events: ResponseParseEvent[], line: string): void {
    const start = line.length >= HTTP_PREFIX.length
      ? `starting ${quoted(line.slice(0, HTTP_PREFIX.length))}`
      : quoted(line);
    this.#fail(
      events,
      NetworkError.ProtocolFailure,
      `Invalid status line ${start}: expected "HTTP/1.x", a three-digit status code and a reason phrase`,
    );
  }

  #statusLine(line: string, events: ResponseParseEvent[]): void {
    // RFC 9112 §2.2: empty lines before the start line are tolerated.
    if (line === "") return;
    const failure = (why: string): void =>
      this.#fail(events, NetworkError.ProtocolFailure, `Invalid status line ${quoted(line)}: ${why}`);
    if (!line.startsWith(HTTP_PREFIX)) return this.#failNotHttp(events, line);
    if (!line.startsWith("HTTP/1.") || !isDigit(line.charCodeAt(7)) || line.charCodeAt(8) !== SP) {
      return failure("only HTTP/1.0 and HTTP/1.1 are supported");
    }
    const code = 9;
    if (
      !isDigit(line.charCodeAt(code)) || line.charCodeAt(code) === 0x30 ||
      !isDigit(line.charCodeAt(code + 1)) ||
      !isDigit(line.charCodeAt(code + 2)) || (code + 3 < line.length && line.charCodeAt(code + 3) !== SP)
    ) {
      return failure("expected a three-digit status code");
    }
    for (let i = code + 4; i < line.length; i++) {
      const byte = line.charCodeAt(i);
      if (TEXT_BYTE[byte] === 0) return failure(`reason phrase contains ${describeByte(byte)}`);
    }
    const status = (line.charCodeAt(code) - 0x30) * 100 + (line.charCodeAt(code + 1) - 0x30) * 10 +
      (line.charCodeAt(code + 2) - 0x30);
    if (status === 101) {
      return this.#fail(
        events,
        NetworkError.ProtocolFailure,
        "Unexpected 101 Switching Protocols response: protocol upgrades are not supported",
      );
    }
    this.#status = status;
    this.#reasonPhrase = line.slice(code + 4);
    this.#version = line.charCodeAt(7) === 0x30 ? "1.0" : "1.1";
    this.#fields = newFieldList();
    this.#state = HEAD_FIELDS;
  }

  #fieldLine(line: string, events: ResponseParseEvent[], section: "header" | "trailer"): void {
    if (line === "") return section === "header" ? this.#headEnd(events) : this.#trailersEnd();
    let error: string | undefined;
    const first = line.charCodeAt(0);
    if (first === SP || first === HTAB) {
      error = appendContinuation(line, this.#fields, section);
    } else if (this.#fields.names.length >= this.#limits.maxFields) {
      error = `Response ${section} has more than the limit of ${this.#limits.maxFields} fields (maxFields)`;
    } else {
      error = parseFieldLine(line, this.#fields, section);
    }
    if (error !== undefined) this.#fail(events, NetworkError.ProtocolFailure, error);
  }

  #headEnd(events: ResponseParseEvent[]): void {
    if (this.#status < 200) {
      // An interim response (100 Continue, 103 Early Hints): the final one follows.
      this.#state = STATUS_LINE;
      return;
    }
    const { names, originalNames, values } = this.#fields;
    const framing = responseFraming(this.#method, this.#status, this.#version, names, values);
    if (typeof framing === "string") return this.#fail(events, NetworkError.ProtocolFailure, framing);
    const headers = new HttpHeaders();
    // The names are lower-case tokens and the values trimmed and checked, as HttpHeaders keeps them.
    for (let i = 0; i < names.length; i++) appendFetchField(headers, names[i], values[i]);
    events.push({
      type: "head",
      head: {
        status: this.#status,
        reasonPhrase: this.#reasonPhrase,
        version: this.#version,
        headers,
        originalNames,
        body: framing.body,
        contentLength: framing.contentLength,
        keepAlive: framing.keepAlive,
      },
    });
    this.#keepAlive = framing.keepAlive;
    if (framing.body === "none" || framing.contentLength === 0) this.#end(undefined);
    else if (framing.body === "length") {
      this.#remaining = framing.contentLength;
      this.#state = BODY_LENGTH;
    } else this.#state = framing.body === "chunked" ? CHUNK_SIZE : BODY_CLOSE;
  }

  #trailersEnd(): void {
    const { names, values } = this.#fields;
    if (names.length === 0) return this.#end(undefined);
    const trailers = new HttpHeaders();
    for (let i = 0; i < names.length; i++) appendFetchField(trailers, names[i], values[i]);
    this.#end(trailers);
  }

  #chunkSizeLine(line: Uint8Array, start: number, stop: number, events: ResponseParseEvent[]): void {
    let i = start;
    let size = 0;
    for (let digit: number; i < stop && (digit = hexValue(line[i])) >= 0; i++) {
      size = size * 16 + digit;
      if (size > Number.MAX_SAFE_INTEGER) {
        return this.#fail(
          events,
          NetworkError.ProtocolFailure,
          `Chunk size ${quoted(latin1(line, start, stop))} is too large`,
        );
      }
    }
    const sizeEnd = i;
    while (i < stop && (line[i] === SP || line[i] === HTAB)) i++;
    if (sizeEnd === start || (i < stop && line[i] !== SEMICOLON)) {
      return this.#fail(
        events,
        NetworkError.ProtocolFailure,
        `Invalid chunk size line ${quoted(latin1(line, start, stop))}: expected a hexadecimal size`,
      );
    }
    // Chunk extensions are ignored, but they must still be text.
    for (; i < stop; i++) {
      if (TEXT_BYTE[line[i]] === 0) {
        return this.#fail(
          events,
          NetworkError.ProtocolFailure,
          `Invalid chunk size line ${quoted(latin1(line, start, stop))}: contains ${describeByte(line[i])}`,
        );
      }
    }
    if (size > 0) {
      this.#remaining = size;
      this.#state = CHUNK_DATA;
    } else {
      this.#fields = newFieldList();
      this.#sectionBytes = 0;
      this.#state = TRAILER_FIELDS;
    }
  }
}
