import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { ResponseParser, type ResponseParserOptions } from "../../src/http1/response_parser.ts";
import { type HeadOutcome, parseChunks, type ParseOutcome, wire } from "./_parse_outcome.ts";

const { ProtocolFailure, RemoteHostClosedError } = NetworkError;

function head(fields: Partial<HeadOutcome>): HeadOutcome {
  return {
    status: 200,
    reasonPhrase: "OK",
    version: "1.1",
    headers: [],
    originalNames: [],
    body: "length",
    contentLength: 0,
    keepAlive: true,
    ...fields,
  };
}

interface Case {
  name: string;
  response: string;
  options?: Partial<ResponseParserOptions>;
  /** Whether the peer closes after sending `response`. */
  close?: boolean;
  expect: Omit<ParseOutcome, "eventsAfterDone" | "body"> & { body?: string };
  leftover?: number;
}

const ok = (fields: Partial<HeadOutcome>, body = "", reusable = true) => ({
  heads: [head(fields)],
  body,
  end: { trailers: undefined, reusable },
});
const failure = (message: string, heads: HeadOutcome[] = [], code: number = ProtocolFailure) => ({
  heads,
  error: { code, message },
});

const cases: Case[] = [
  // Status line.
  {
    name: "Content-Length body, keep-alive",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    expect: ok(
      { headers: [["content-length", "5"]], originalNames: ["Content-Length"], contentLength: 5 },
      "hello",
    ),
  },
  {
    name: "missing reason phrase",
    response: "HTTP/1.1 204\r\n\r\n",
    expect: ok({ status: 204, reasonPhrase: "", body: "none", contentLength: -1 }),
  },
  {
    name: "empty reason phrase after the space",
    response: "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      status: 404,
      reasonPhrase: "",
      headers: [["content-length", "0"]],
      originalNames: ["Content-Length"],
    }),
  },
  {
    name: "reason phrase kept verbatim",
    response: "HTTP/1.1 599  Très\tbad \r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      status: 599,
      reasonPhrase: " Très\tbad ",
      headers: [["content-length", "0"]],
      originalNames: ["Content-Length"],
    }),
  },
  {
    name: "HTTP/1.2 is read as 1.1",
    response: "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n",
    expect: ok({ headers: [["content-length", "0"]], originalNames: ["Content-Length"] }),
  },
  {
    name: "empty lines before the status line are skipped",
    response: "\r\n\nHTTP/1.1 204 No Content\r\n\r\n",
    expect: ok({ status: 204, reasonPhrase: "No Content", body: "none", contentLength: -1 }),
  },
  {
    name: "bare LF line terminators",
    response: "HTTP/1.1 200 OK\nContent-Length: 2\nX-A: b\n\nhi",
    expect: ok({
      headers: [["content-length", "2"], ["x-a", "b"]],
      originalNames: ["Content-Length", "X-A"],
      contentLength: 2,
    }, "hi"),
  },
  {
    name: "ICY is not HTTP",
    response: "ICY 200 OK\r\n\r\n",
    expect: failure(
      'Invalid status line starting "ICY 2": expected "HTTP/1.x", a three-digit status code and a reason phrase',
    ),
  },
  {
    name: "junk",
    response: "\u0000\u0001garbage\r\n",
    expect: failure(
      'Invalid status line starting "\\u0000\\u0001gar": expected "HTTP/1.x", a three-digit status code and a reason phrase',
    ),
  },
  {
    name: "HTTP/2",
    response: "HTTP/2 200 OK\r\n\r\n",
    expect: failure('Invalid status line "HTTP/2 200 OK": only HTTP/1.0 and HTTP/1.1 are supported'),
  },
  {
    name: "HTTP/1.10",
    response: "HTTP/1.10 200 OK\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.10 200 OK": only HTTP/1.0 and HTTP/1.1 are supported'),
  },
  {
    name: "version only",
    response: "HTTP/1.1\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1": only HTTP/1.0 and HTTP/1.1 are supported'),
  },
  {
    name: "two-digit status",
    response: "HTTP/1.1 20 OK\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1 20 OK": expected a three-digit status code'),
  },
  {
    name: "four-digit status",
    response: "HTTP/1.1 2000 OK\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1 2000 OK": expected a three-digit status code'),
  },
  {
    name: "status below 100",
    response: "HTTP/1.1 099 Low\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1 099 Low": expected a three-digit status code'),
  },
  {
    name: "NUL in the reason phrase",
    response: "HTTP/1.1 200 O\u0000K\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1 200 O\\u0000K": reason phrase contains NUL'),
  },
  {
    name: "bare CR in the status line",
    response: "HTTP/1.1 200 O\rK\r\n\r\n",
    expect: failure('Invalid status line "HTTP/1.1 200 O\\rK": reason phrase contains a bare CR'),
  },
  // Fields.
  {
    name: "duplicates kept in order, names lower-case, wire case kept, values trimmed",
    response:
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Empty:\r\nset-COOKIE:\t b=2 \t\r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      headers: [["set-cookie", "a=1"], ["x-empty", ""], ["set-cookie", "b=2"], ["content-length", "0"]],
      originalNames: ["Set-Cookie", "X-Empty", "set-COOKIE", "Content-Length"],
    }),
  },
  {
    name: "obs-text in a value is kept as Latin-1",
    response: "HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      headers: [["x-name", "caf\u00e9"], ["content-length", "0"]],
      originalNames: ["X-Name", "Content-Length"],
    }),
  },
  {
    name: "obs-fold joins the previous value with one space",
    response: "HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\n\tthree \r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      headers: [["x-long", "one two three"], ["content-length", "0"]],
      originalNames: ["X-Long", "Content-Length"],
    }),
  },
  {
    name: "continuation line before any field",
    response: "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
    expect: failure("Invalid header section: a continuation line comes before any field"),
  },
  {
    name: "whitespace between name and colon",
    response: "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello",
    expect: failure('Invalid header field "Content-Length": whitespace between the name and the colon'),
  },
  {
    name: "field line without a colon",
    response: "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
    expect: failure('Invalid header field line "NoColon": no colon'),
  },
  {
    name: "field name with a space inside",
    response: "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
    expect: failure('Invalid header field name "Bad Name": not an RFC 9110 token'),
  },
  {
    name: "field name with a separator",
    response: "HTTP/1.1 200 OK\r\nBad(Name): x\r\n\r\n",
    expect: failure('Invalid header field name "Bad(Name)": not an RFC 9110 token'),
  },
  {
    name: "empty field name",
    response: "HTTP/1.1 200 OK\r\n: x\r\n\r\n",
    expect: failure('Invalid header field line ": x": empty name'),
  },
  {
    name: "NUL in a value",
    response: "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n",
    expect: failure('Invalid header field "X-A": value contains NUL'),
  },
  {
    name: "bare CR in a value",
    response: "HTTP/1.1 200 OK\r\nX-A: a\rInjected: b\r\n\r\n",
    expect: failure('Invalid header field "X-A": value contains a bare CR'),
  },
  {
    name: "control character in a folded value",
    response: "HTTP/1.1 200 OK\r\nX-A: a\r\n b\u0007\r\n\r\n",
    expect: failure('Invalid header field "X-A": value contains control character 0x07'),
  },
  // Limits.
  {
    name: "more fields than maxFields",
    response: "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
    options: { maxFields: 2 },
    expect: failure("Response header has more than the limit of 2 fields (maxFields)"),
  },
  {
    name: "exactly maxFields fields",
    response: "HTTP/1.1 204 OK\r\nA: 1\r\nB: 2\r\n\r\n",
    options: { maxFields: 2 },
    expect: ok({
      status: 204,
      headers: [["a", "1"], ["b", "2"]],
      originalNames: ["A", "B"],
      body: "none",
      contentLength: -1,
    }),
  },
  {
    name: "a field line longer than maxFieldSize",
    response: `HTTP/1.1 200 OK\r\nX-Big: ${"x".repeat(20)}\r\n\r\n`,
    options: { maxFieldSize: 20 },
    expect: failure("Response header line is longer than the limit of 20 bytes (maxFieldSize)"),
  },
  {
    name: "a field line of exactly maxFieldSize bytes",
    response: `HTTP/1.1 204 OK\r\nX-Big: ${"x".repeat(13)}\r\n\r\n`,
    options: { maxFieldSize: 20 },
    expect: ok({
      status: 204,
      headers: [["x-big", "x".repeat(13)]],
      originalNames: ["X-Big"],
      body: "none",
      contentLength: -1,
    }),
  },
  {
    name: "a head larger than maxHeaderSize",
    response: "HTTP/1.1 200 OK\r\nA: 1234567890\r\nB: 1234567890\r\nC: 1234567890\r\n\r\n",
    options: { maxHeaderSize: 40 },
    expect: failure("Response header section is larger than the limit of 40 bytes (maxHeaderSize)"),
  },
  {
    name: "1xx heads count toward maxHeaderSize",
    response: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    options: { maxHeaderSize: 50 },
    expect: failure("Response header section is larger than the limit of 50 bytes (maxHeaderSize)"),
  },
  {
    name: "more trailer fields than maxFields",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n",
    options: { maxFields: 1 },
    expect: failure("Response trailer has more than the limit of 1 fields (maxFields)", [
      head({
        headers: [["transfer-encoding", "chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      }),
    ]),
  },
  {
    name: "a trailer line longer than maxFieldSize",
    response:
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 0123456789012345678901\r\n\r\n",
    options: { maxFieldSize: 27 },
    expect: failure("Response trailer line is longer than the limit of 27 bytes (maxFieldSize)", [
      head({
        headers: [["transfer-encoding", "chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      }),
    ]),
  },
  // Interim responses.
  {
    name: "100 Continue and 103 Early Hints are skipped",
    response:
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
    expect: ok(
      { headers: [["content-length", "1"]], originalNames: ["Content-Length"], contentLength: 1 },
      "x",
    ),
  },
  {
    name: "101 Switching Protocols",
    response: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    expect: failure("Unexpected 101 Switching Protocols response: protocol upgrades are not supported"),
  },
  // Bodies that are not there.
  {
    name: "HEAD response with Content-Length",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
    options: { method: "HEAD" },
    expect: ok({
      headers: [["content-length", "10"]],
      originalNames: ["Content-Length"],
      body: "none",
      contentLength: -1,
    }),
  },
  {
    name: "2xx answer to CONNECT: a tunnel follows the head",
    response: "HTTP/1.1 200 Connection established\r\n\r\n",
    options: { method: "CONNECT" },
    expect: ok({ reasonPhrase: "Connection established", body: "none", contentLength: -1 }),
  },
  {
    name: "4xx answer to CONNECT has a body",
    response: "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno",
    options: { method: "CONNECT" },
    expect: ok({
      status: 403,
      reasonPhrase: "Forbidden",
      headers: [["content-length", "2"]],
      originalNames: ["Content-Length"],
      contentLength: 2,
    }, "no"),
  },
  {
    name: "304 with Content-Length",
    response: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    expect: ok({
      status: 304,
      reasonPhrase: "Not Modified",
      headers: [["content-length", "10"]],
      originalNames: ["Content-Length"],
      body: "none",
      contentLength: -1,
    }),
  },
  {
    name: "204 with Transfer-Encoding",
    response: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
    expect: ok({
      status: 204,
      reasonPhrase: "No Content",
      headers: [["transfer-encoding", "chunked"]],
      originalNames: ["Transfer-Encoding"],
      body: "none",
      contentLength: -1,
    }),
  },
  // Content-Length.
  {
    name: "Content-Length: 0",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    expect: ok({ headers: [["content-length", "0"]], originalNames: ["Content-Length"] }),
  },
  {
    name: "equal Content-Length duplicates and lists",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 003\r\n\r\nabc",
    expect: ok({
      headers: [["content-length", "3, 3"], ["content-length", "003"]],
      originalNames: ["Content-Length", "Content-Length"],
      contentLength: 3,
    }, "abc"),
  },
  {
    name: "differing Content-Length values",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    expect: failure('Conflicting Content-Length values "5" and "6"'),
  },
  {
    name: "Content-Length list with differing values",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
    expect: failure('Conflicting Content-Length values "5" and "6"'),
  },
  {
    name: "Content-Length not a number",
    response: "HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\n",
    expect: failure('Invalid Content-Length "five": not a decimal number'),
  },
  {
    name: "negative Content-Length",
    response: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    expect: failure('Invalid Content-Length "-1": not a decimal number'),
  },
  {
    name: "empty Content-Length",
    response: "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
    expect: failure('Invalid Content-Length "": not a decimal number'),
  },
  {
    name: "Content-Length too large",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
    expect: failure('Content-Length "99999999999999999999" is too large'),
  },
  {
    name: "bytes after the framed body",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiEXTRA",
    expect: ok(
      { headers: [["content-length", "2"]], originalNames: ["Content-Length"], contentLength: 2 },
      "hi",
      false,
    ),
    leftover: 5,
  },
  // Connection reuse.
  {
    name: "HTTP/1.1 with Connection: close",
    response: "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n",
    expect: ok(
      {
        headers: [["connection", "keep-alive, Close"], ["content-length", "0"]],
        originalNames: ["Connection", "Content-Length"],
        keepAlive: false,
      },
      "",
      false,
    ),
  },
  {
    name: "HTTP/1.0 without keep-alive",
    response: "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
    expect: ok(
      {
        version: "1.0",
        headers: [["content-length", "0"]],
        originalNames: ["Content-Length"],
        keepAlive: false,
      },
      "",
      false,
    ),
  },
  {
    name: "HTTP/1.0 with keep-alive",
    response: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
    expect: ok({
      version: "1.0",
      headers: [["connection", "Keep-Alive"], ["content-length", "0"]],
      originalNames: ["Connection", "Content-Length"],
    }),
  },
  {
    name: "HTTP/1.0 with Transfer-Encoding: read chunked, then drop the connection",
    response:
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
    expect: ok(
      {
        version: "1.0",
        headers: [["connection", "keep-alive"], ["transfer-encoding", "chunked"]],
        originalNames: ["Connection", "Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
        keepAlive: false,
      },
      "z",
      false,
    ),
  },
  // Close-delimited bodies.
  {
    name: "close-delimited body that is empty",
    response: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
    close: true,
    expect: ok(
      {
        headers: [["connection", "close"]],
        originalNames: ["Connection"],
        body: "close",
        contentLength: -1,
        keepAlive: false,
      },
      "",
      false,
    ),
  },
  {
    name: "neither Content-Length nor Transfer-Encoding",
    response: "HTTP/1.1 200 OK\r\n\r\nuntil the end",
    close: true,
    expect: ok({ body: "close", contentLength: -1, keepAlive: false }, "until the end", false),
  },
  {
    name: "Transfer-Encoding not ending in chunked",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\nabcdef",
    close: true,
    expect: ok(
      {
        headers: [["transfer-encoding", "chunked, gzip"], ["content-length", "3"]],
        originalNames: ["Transfer-Encoding", "Content-Length"],
        body: "close",
        contentLength: -1,
        keepAlive: false,
      },
      "abcdef",
      false,
    ),
  },
  // Chunked bodies.
  {
    name: "chunked with extensions and trailers",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n" +
      "5;name=value ; other\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-Sum: 1\r\nX-Sum:  2 \r\n\r\n",
    expect: {
      heads: [head({
        headers: [["transfer-encoding", "gzip, Chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      })],
      body: "hello, world!!!",
      end: { trailers: [["x-sum", "1"], ["x-sum", "2"]], reusable: true },
    },
  },
  {
    name: "chunked with bare LF lines",
    response: "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n0\n\n",
    expect: ok({
      headers: [["transfer-encoding", "chunked"]],
      originalNames: ["Transfer-Encoding"],
      body: "chunked",
      contentLength: -1,
    }, "ab"),
  },
  {
    name: "chunked wins over Content-Length, and the connection is not reused",
    response:
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
    expect: ok(
      {
        headers: [["content-length", "100"], ["transfer-encoding", "chunked"]],
        originalNames: ["Content-Length", "Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
        keepAlive: false,
      },
      "z",
      false,
    ),
  },
  ...([
    ["bad hex size", "zz\r\n", 'Invalid chunk size line "zz": expected a hexadecimal size'],
    ["empty size line", "\r\n", 'Invalid chunk size line "": expected a hexadecimal size'],
    ["junk after the size", "5x\r\nhello\r\n", 'Invalid chunk size line "5x": expected a hexadecimal size'],
    ["negative size", "-5\r\n", 'Invalid chunk size line "-5": expected a hexadecimal size'],
    ["size above 2^53", "20000000000000\r\n", 'Chunk size "20000000000000" is too large'],
    ["NUL in an extension", "1;a=\u0000\r\n", 'Invalid chunk size line "1;a=\\u0000": contains NUL'],
    [
      "no CRLF after the data",
      "5\r\nhelloX\r\n0\r\n\r\n",
      "Invalid chunked body: missing CRLF after chunk data",
    ],
    ["CR without LF after the data", "5\r\nhello\rX", "Invalid chunked body: missing CRLF after chunk data"],
  ] as const).map(([name, chunks, message]): Case => ({
    name: `chunked: ${name}`,
    response: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
    expect: {
      heads: [head({
        headers: [["transfer-encoding", "chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      })],
      body: chunks.startsWith("5\r\nhello") ? "hello" : "",
      error: { code: ProtocolFailure, message },
    },
  })),
  {
    name: "chunk size line longer than maxFieldSize",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=0123456789012345678901234\r\n",
    options: { maxFieldSize: 27 },
    expect: failure("Chunk size line is longer than the limit of 27 bytes (maxFieldSize)", [
      head({
        headers: [["transfer-encoding", "chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      }),
    ]),
  },
  // The peer closes.
  {
    name: "closed before any byte",
    response: "",
    close: true,
    expect: failure("Connection closed", [], RemoteHostClosedError),
  },
  {
    name: "closed in the status line",
    response: "HTTP/1.1 2",
    close: true,
    expect: failure("Connection closed", [], RemoteHostClosedError),
  },
  {
    name: "closed in the fields",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n",
    close: true,
    expect: failure("Connection closed", [], RemoteHostClosedError),
  },
  {
    name: "closed in a Content-Length body",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
    close: true,
    expect: {
      ...failure("Connection closed", [
        head({ headers: [["content-length", "5"]], originalNames: ["Content-Length"], contentLength: 5 }),
      ], RemoteHostClosedError),
      body: "hel",
    },
  },
  {
    name: "closed in a chunked body",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    close: true,
    expect: {
      ...failure("Connection closed", [
        head({
          headers: [["transfer-encoding", "chunked"]],
          originalNames: ["Transfer-Encoding"],
          body: "chunked",
          contentLength: -1,
        }),
      ], RemoteHostClosedError),
      body: "hel",
    },
  },
  {
    name: "closed before the last chunk's blank line",
    response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1\r\n",
    close: true,
    expect: failure("Connection closed", [
      head({
        headers: [["transfer-encoding", "chunked"]],
        originalNames: ["Transfer-Encoding"],
        body: "chunked",
        contentLength: -1,
      }),
    ], RemoteHostClosedError),
  },
  {
    name: "closed after the response ended",
    response: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
    close: true,
    expect: ok(
      { headers: [["content-length", "1"]], originalNames: ["Content-Length"], contentLength: 1 },
      "x",
    ),
  },
];

function run(c: Case, chunks: Uint8Array[]): ReturnType<typeof parseChunks> {
  return parseChunks({ method: "GET", ...c.options }, chunks, c.close ?? false);
}

Deno.test("ResponseParser: one response per rule, with code and message on failures", () => {
  for (const c of cases) {
    const { outcome, parser } = run(c, [wire(c.response)]);
    assert.deepEqual(outcome, { body: "", ...c.expect, eventsAfterDone: 0 }, c.name);
    const terminal = c.expect.end !== undefined || c.expect.error !== undefined;
    assert.equal(parser.done, terminal, `${c.name}: done`);
    assert.equal(parser.started, c.response !== "", `${c.name}: started`);
    if (c.leftover !== undefined) assert.equal(parser.leftover, c.leftover, `${c.name}: leftover`);
  }
});

Deno.test("ResponseParser: every split into two pushes, and one byte at a time, gives the same events", () => {
  for (const c of cases) {
    // Bytes past the end are only unreusable when they arrive with the end: splits change that.
    if (c.leftover !== undefined) continue;
    const bytes = wire(c.response);
    const expected = run(c, [bytes]).outcome;
    for (let at = 0; at <= bytes.length; at++) {
      const split = run(c, [bytes.slice(0, at), bytes.slice(at)]).outcome;
      assert.deepEqual(split, expected, `${c.name}: split at ${at}`);
    }
    const bytewise = run(c, Array.from(bytes, (byte) => new Uint8Array([byte]))).outcome;
    assert.deepEqual(bytewise, expected, `${c.name}: one byte at a time`);
  }
});

Deno.test("ResponseParser: after the end it consumes nothing and counts what follows", () => {
  const parser = new ResponseParser({ method: "GET" });
  const events = parser.push(wire("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
  assert.deepEqual(events.map((event) => event.type), ["head", "body", "end"]);
  assert.equal(parser.leftover, 0);
  assert.deepEqual(parser.push(wire("HTTP/1.1 200 OK\r\n")), []);
  assert.equal(parser.leftover, 17);
  assert.deepEqual(parser.finish(), []);
  assert.deepEqual(parser.push(new Uint8Array(0)), []);
});

Deno.test("ResponseParser: an empty push starts nothing", () => {
  const parser = new ResponseParser({ method: "GET" });
  assert.deepEqual(parser.push(new Uint8Array(0)), []);
  assert.equal(parser.started, false);
  assert.equal(parser.done, false);
});

Deno.test("ResponseParser: a line that cannot fit the limits fails before its end arrives", () => {
  const parser = new ResponseParser({ method: "GET", maxFieldSize: 64 });
  assert.deepEqual(parser.push(wire("HTTP/1.1 200 OK\r\nX-Flood: ")), []);
  assert.deepEqual(parser.push(wire("x".repeat(100))), [{
    type: "error",
    code: ProtocolFailure,
    message: "Response header line is longer than the limit of 64 bytes (maxFieldSize)",
  }]);
  const sized = new ResponseParser({ method: "GET", maxHeaderSize: 64 });
  assert.deepEqual(sized.push(wire(`HTTP/1.1 200 OK\r\nX-Flood: ${"x".repeat(60)}`)), [{
    type: "error",
    code: ProtocolFailure,
    message: "Response header section is larger than the limit of 64 bytes (maxHeaderSize)",
  }]);
});

Deno.test("ResponseParser: limits must be positive integers", () => {
  for (const options of [{ maxFields: 0 }, { maxFieldSize: -1 }, { maxHeaderSize: 1.5 }]) {
    const [name, value] = Object.entries(options)[0];
    assert.throws(() => new ResponseParser({ method: "GET", ...options }), {
      name: "RangeError",
      message: `Cannot set ${name}: expected a positive integer, got ${value}`,
    });
  }
});
