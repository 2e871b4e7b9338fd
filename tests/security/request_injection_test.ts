/**
 * Request splitting and header injection, on the fetch and the socket
 * transport against a raw server that records every byte it receives: CR,
 * LF, NUL or a space in a method, a header name or value (Host included) is
 * refused with a TypeError naming it before a byte is sent; a URL cannot
 * carry them (the URL parser drops tabs and line breaks and percent-encodes
 * spaces, an unparsable host fails the reply with ProtocolUnknownError), so
 * the target arrives as one clean request line.
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const transports = ["fetch", "socket"] as const;

const badVerbs = [
  "GET\r\nX-Evil: 1",
  "GET /admin HTTP/1.1\r\nHost: evil\r\n\r\nGET",
  "GE T",
  "GET\0",
  "G\nET",
  "",
];

for (const transport of transports) {
  Deno.test(`[${transport}] a method with CR, LF, NUL or a space is a TypeError at the call; the server sees nothing`, async () => {
    await using server = startRawHttpServer(OK);
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    for (const verb of badVerbs) {
      assert.throws(() => nam.sendCustomRequest(server.url, verb), {
        name: "TypeError",
        message: `Cannot send custom request: verb ${JSON.stringify(verb)} is not an RFC 9110 token`,
      });
    }
    assert.equal(server.connectionCount, 0);
  });
}

/** Header names and values that would split a request, and what HttpHeaders says about each. */
const badFields: [name: string, value: string, why: string][] = [
  ["X-A\r\nX-Evil", "1", "name is not an RFC 9110 token"],
  ["X-A\nX-Evil", "1", "name is not an RFC 9110 token"],
  ["X-A\0", "1", "name is not an RFC 9110 token"],
  ["X A", "1", "name is not an RFC 9110 token"],
  ["X-A:", "1", "name is not an RFC 9110 token"],
  ["X-A", "1\r\nX-Evil: 1", "value contains CR or LF"],
  ["X-A", "1\nX-Evil: 1", "value contains CR or LF"],
  ["X-A", "1\r\n\r\nGET /smuggled HTTP/1.1", "value contains CR or LF"],
  ["X-A", "1\0", "value contains NUL"],
  ["Host", "127.0.0.1\r\nX-Evil: 1", "value contains CR or LF"],
  ["Host", "127.0.0.1\0evil.test", "value contains NUL"],
  ["Cookie", "a=1\r\nX-Evil: 1", "value contains CR or LF"],
  ["Authorization", "Basic x\nX-Evil: 1", "value contains CR or LF"],
];

for (const transport of transports) {
  Deno.test(`[${transport}] a header name or value with CR, LF, NUL or a space in the name is a TypeError naming it; nothing of it is sent`, async () => {
    await using server = startRawHttpServer(OK);
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    for (const [name, value, why] of badFields) {
      const error = { name: "TypeError", message: `Cannot set header ${JSON.stringify(name)}: ${why}` };
      assert.throws(() => new NetworkRequest(server.url, { headers: [[name, value]] }), error);
      const request = new NetworkRequest(server.url);
      assert.throws(() => request.setRawHeader(name, value), error);
      assert.throws(() => request.headers().append(name, value), error);
    }
    assert.equal(server.connectionCount, 0);
    // The same request without the refused field goes out as one clean request.
    const reply = nam.get(new NetworkRequest(server.url, { headers: { "X-A": "1" } }));
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(server.requests.length, 1);
    assert.doesNotMatch(server.requests[0].head, /evil|smuggled/i);
  });
}

for (const transport of transports) {
  Deno.test(`[${transport}] a target with CR, LF, tab or spaces reaches the server as one percent-encoded request line`, async () => {
    await using server = startRawHttpServer(OK);
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    const url = new URL(`http://127.0.0.1:${server.port}/a b\r\nX-Evil: 1\t/c?d e\r\nHost: evil#f g`);
    const reply = nam.get(url);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request.target, "/a%20bX-Evil:%201/c?d%20eHost:%20evil");
    assert.deepEqual(request.headers.filter(([name]) => /^(host|x-evil)$/i.test(name)), [
      [request.headers.find(([name]) => /^host$/i.test(name))![0], `127.0.0.1:${server.port}`],
    ]);
  });
}

for (const transport of transports) {
  Deno.test(`[${transport}] a host with a space, CR, LF or NUL does not parse: ProtocolUnknownError, nothing sent`, async () => {
    await using server = startRawHttpServer(OK);
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    for (
      const href of [
        `http://127.0.0.1 evil:${server.port}/`,
        `http://127.0.0.1%0d%0aX-Evil:1:${server.port}/`,
        `http://127.0.0.1%00:${server.port}/`,
        `http://127.0.0.1%20:${server.port}/`,
      ]
    ) {
      const reply = nam.get(href);
      await reply.done;
      assert.equal(reply.error(), NetworkError.ProtocolUnknownError, href);
      assert.equal(reply.errorString(), `Invalid URL ${JSON.stringify(href)}`);
      assert.equal(reply.url().href, "about:invalid");
    }
    assert.equal(server.connectionCount, 0);
  });
}
