// Cookies against a real server: httpbin's /cookies endpoints (Flask's Set-Cookie) on both
// built-in transports (tests/interop/transports.ts). /cookies/set answers 302 to /cookies with
// the Set-Cookie fields, /cookies echoes the Cookie field it received as JSON.
import assert from "node:assert/strict";
import { Attribute, NetworkError, type NetworkReply, RedirectPolicy } from "../../mod.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, interopManager } from "./transports.ts";

const suite = setupInteropServers();

/** The cookies httpbin's /cookies saw, from the reply's JSON body. */
async function echoedCookies(reply: NetworkReply): Promise<Record<string, string>> {
  const body = await reply.json<{ cookies: Record<string, string> }>();
  assert.equal(reply.error(), NetworkError.NoError);
  return body.cookies;
}

forEachTransport(suite, (transport, test) => {
  test("GET /cookies/set?a=1, then /cookies: the stored cookie is sent", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { redirectPolicy: RedirectPolicy.ManualRedirectPolicy });
    const set = nam.get(`${httpbin}/cookies/set?a=1&b=two`);
    await set.done;
    assert.equal(set.attribute(Attribute.HttpStatusCodeAttribute), 302);
    assert.deepEqual(nam.cookieJar()?.allCookies().map((c) => [c.name, c.value, c.path]), [
      ["a", "1", "/"],
      ["b", "two", "/"],
    ]);
    assert.deepEqual(await echoedCookies(nam.get(`${httpbin}/cookies`)), { a: "1", b: "two" });
  });

  test("GET /cookies/set?a=1 followed through its 302: the target already gets the cookie", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/cookies/set?a=1`);
    assert.deepEqual(await echoedCookies(reply), { a: "1" });
    assert.equal(reply.url().href, `${httpbin}/cookies`);
  });

  test("GET /cookies/delete?a: the expired Set-Cookie removes the cookie", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    assert.deepEqual(await echoedCookies(nam.get(`${httpbin}/cookies/set?a=1&b=2`)), { a: "1", b: "2" });
    assert.deepEqual(await echoedCookies(nam.get(`${httpbin}/cookies/delete?a`)), { b: "2" });
  });

  test("cookieJar: null: /cookies/set followed, nothing is sent", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { cookieJar: null });
    const reply = nam.get(`${httpbin}/cookies/set?a=1`);
    assert.deepEqual(await echoedCookies(reply), {});
    assert.equal(nam.cookieJar(), null);
  });
});
