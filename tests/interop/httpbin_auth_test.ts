// HTTP authentication against httpbin (gunicorn): Basic (/basic-auth) and Digest MD5 and SHA-256
// (/digest-auth, qop=auth), answered through the manager's authenticationRequired, on both built-in
// transports (tests/interop/transports.ts).
import assert from "node:assert/strict";
import { type AuthenticationRequiredEvent, NetworkError } from "../../mod.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, httpbinReasonPhrase, interopManager } from "./transports.ts";

const suite = setupInteropServers();

forEachTransport(suite, (transport, test) => {
  for (
    const [path, challenge] of [
      ["/basic-auth/user/passwd", "Basic Fake Realm"],
      ["/digest-auth/auth/user/passwd/MD5", "Digest me@kennethreitz.com"],
      ["/digest-auth/auth/user/passwd/SHA-256", "Digest me@kennethreitz.com"],
    ]
  ) {
    test(`GET ${path}: one authenticationRequired, then 200 with the user`, async () => {
      const { httpbin } = suite.servers();
      await using nam = interopManager(transport);
      const asked: string[] = [];
      nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
        asked.push(`${event.authenticator.scheme} ${event.authenticator.realm}`);
        event.authenticator.user = "user";
        event.authenticator.password = "passwd";
      });
      const reply = nam.get(`${httpbin}${path}`);
      assert.deepEqual(await reply.json(), { authenticated: true, user: "user" });
      assert.deepEqual(asked, [challenge]);
    });

    test(`GET ${path} without credentials: AuthenticationRequiredError`, async () => {
      const { httpbin } = suite.servers();
      await using nam = interopManager(transport);
      const url = `${httpbin}${path}`;
      const reply = nam.get(url);
      await reply.done;
      assert.equal(reply.error(), NetworkError.AuthenticationRequiredError);
      const phrase = httpbinReasonPhrase(transport, "Unauthorized");
      assert.equal(reply.errorString(), `Error transferring ${url} - server replied: ${phrase}`);
    });
  }

  test("GET /basic-auth with user info in the URL: no question", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    let asked = 0;
    nam.addEventListener("authenticationRequired", () => asked++);
    const url = new URL(`${httpbin}/basic-auth/user/passwd`);
    url.username = "user";
    url.password = "passwd";
    assert.deepEqual(await nam.get(url).json(), { authenticated: true, user: "user" });
    assert.equal(asked, 0);
  });
});
