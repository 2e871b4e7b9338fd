/**
 * Re-sending a ReadableStream body on 307/308: refused with ContentReSendError
 * when the transport answered before the stream was read to its end.
 */

import assert from "node:assert/strict";
import { HttpHeaders, NetworkAccessManager, NetworkError, type Transport } from "../../mod.ts";
import type { ExchangeEvent } from "../../transport.ts";

/** Answers 307 at once, without reading the request body (as a server may). */
const earlyRedirect: Transport = {
  name: "early-redirect",
  async *exchange(request): AsyncGenerator<ExchangeEvent, undefined> {
    yield { type: "requestSent" };
    const headers = new HttpHeaders([["location", "/again"], ["content-length", "0"]]);
    yield { type: "responseHead", head: { status: 307, reasonPhrase: "Temporary Redirect", headers } };
    if (request.body?.kind === "stream") await request.body.stream.cancel();
    yield { type: "end" };
    return undefined;
  },
  close: () => Promise.resolve(),
};

Deno.test("a ReadableStream body not read to its end cannot follow a 307: ContentReSendError", async () => {
  await using nam = new NetworkAccessManager({ transport: earlyRedirect });
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(16));
    },
  });
  const reply = nam.post("http://example.test/upload", body);
  const redirected: string[] = [];
  reply.addEventListener("redirected", (event) => redirected.push(event.url.href));
  await reply.done;
  assert.equal(reply.error(), NetworkError.ContentReSendError);
  assert.equal(
    reply.errorString(),
    "Cannot re-send the request body for HTTP 307: the ReadableStream body was not read to its end before the response",
  );
  assert.deepEqual(redirected, []);
});
