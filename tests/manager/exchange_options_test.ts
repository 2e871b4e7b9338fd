/**
 * The manager builds one typed ExchangeOptions per request from its
 * attributes (Http2AllowedAttribute, ConnectionCacheExpiryTimeoutSecondsAttribute,
 * CookieLoadControlAttribute, CookieSaveControlAttribute)
 * and hands the same object to every hop.
 */
import assert from "node:assert/strict";
import {
  Attribute,
  HttpHeaders,
  LoadControl,
  NetworkAccessManager,
  NetworkRequest,
  type Transport,
} from "../../mod.ts";
import type { ExchangeEvent, ExchangeOptions } from "../../transport.ts";

/** A transport that records each exchange's options and answers 200 (or a redirect for /hop). */
function recording(seen: ExchangeOptions[]): Transport {
  return {
    name: "recording",
    async *exchange(request): AsyncGenerator<ExchangeEvent, undefined> {
      seen.push(request.options);
      yield { type: "requestSent" };
      const hop = request.url.pathname === "/hop";
      const headers = new HttpHeaders(
        hop ? { location: "/end", "content-length": "0" } : { "content-length": "0" },
      );
      yield { type: "responseHead", head: { status: hop ? 302 : 200, reasonPhrase: "", headers } };
      yield { type: "end" };
      return undefined;
    },
    close: () => Promise.resolve(),
  };
}

Deno.test("ExchangeOptions: Qt's defaults, the attributes when set, nonsense ignored", async (t) => {
  const cases: { name: string; attributes: Record<number, unknown>; expected: ExchangeOptions }[] = [
    { name: "defaults", attributes: {}, expected: { http2Allowed: true } },
    {
      name: "HTTP/2 off, cache expiry 30 s",
      attributes: {
        [Attribute.Http2AllowedAttribute]: false,
        [Attribute.ConnectionCacheExpiryTimeoutSecondsAttribute]: 30,
      },
      expected: { http2Allowed: false, connectionCacheExpiry: 30 },
    },
    {
      name: "a negative or non-numeric expiry is the transport's default",
      attributes: { [Attribute.ConnectionCacheExpiryTimeoutSecondsAttribute]: -1 },
      expected: { http2Allowed: true },
    },
    {
      name: "cookie load and save controls Manual",
      attributes: {
        [Attribute.CookieLoadControlAttribute]: LoadControl.Manual,
        [Attribute.CookieSaveControlAttribute]: LoadControl.Manual,
      },
      expected: {
        http2Allowed: true,
        cookieLoadControl: LoadControl.Manual,
        cookieSaveControl: LoadControl.Manual,
      },
    },
    {
      name: "cookie controls Automatic or nonsense are left out (Automatic)",
      attributes: {
        [Attribute.CookieLoadControlAttribute]: LoadControl.Automatic,
        [Attribute.CookieSaveControlAttribute]: "manual",
      },
      expected: { http2Allowed: true },
    },
    {
      name: "only false turns HTTP/2 off",
      attributes: {
        [Attribute.Http2AllowedAttribute]: 0,
        [Attribute.ConnectionCacheExpiryTimeoutSecondsAttribute]: "30",
      },
      expected: { http2Allowed: true },
    },
  ];
  for (const { name, attributes, expected } of cases) {
    await t.step(name, async () => {
      const seen: ExchangeOptions[] = [];
      await using nam = new NetworkAccessManager({ transport: recording(seen) });
      const reply = nam.get(new NetworkRequest("http://site.test/", { attributes }));
      await reply.done;
      assert.deepEqual(seen, [expected]);
    });
  }
});

Deno.test("ExchangeOptions: built once per request, the same object for every hop", async () => {
  const seen: ExchangeOptions[] = [];
  await using nam = new NetworkAccessManager({ transport: recording(seen) });
  const reply = nam.get("http://site.test/hop");
  await reply.done;
  assert.equal(seen.length, 2);
  assert.equal(seen[0], seen[1]);
});
