// HSTS (RFC 6797) against nginx in front of httpbin, on both built-in transports: httpbin's
// /response-headers sends Strict-Transport-Security; over plain http it teaches nothing, over
// https (nginx's certificate for localhost, trusted through the test CA) it makes localhost a
// known host, and the next http URL of localhost is loaded over https.
import assert from "node:assert/strict";
import { Attribute, NetworkError, NetworkRequest } from "../../mod.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, interopManager } from "./transports.ts";

const suite = setupInteropServers();

function trustingRequest(url: string): NetworkRequest {
  return new NetworkRequest(url, { sslConfiguration: { caCertificates: [suite.servers().caCertificate] } });
}

const STS_QUERY = `Strict-Transport-Security=${encodeURIComponent("max-age=600; includeSubDomains")}`;

forEachTransport(suite, (transport, test) => {
  test("HSTS: learnt from nginx over https (not over http), then http://localhost goes over https", async () => {
    const { https, nginxHttp } = suite.servers();
    await using nam = interopManager(transport, { strictTransportSecurity: true });
    const hosts = () => nam.strictTransportSecurityHosts().map((p) => [p.host, p.includeSubDomains]);

    // Plain http names the host (an IP address would never be learnt anyway).
    const plainUrl = new URL(nginxHttp);
    plainUrl.hostname = "localhost";
    const plain = nam.get(trustingRequest(`${plainUrl.origin}/response-headers?${STS_QUERY}`));
    await plain.done;
    assert.equal(plain.error(), NetworkError.NoError, plain.errorString());
    assert.equal(plain.rawHeader("strict-transport-security"), "max-age=600; includeSubDomains");
    assert.deepEqual(hosts(), []);

    const secure = nam.get(trustingRequest(`${https}/response-headers?${STS_QUERY}`));
    await secure.done;
    assert.equal(secure.error(), NetworkError.NoError, secure.errorString());
    assert.deepEqual(hosts(), [["localhost", true]]);

    // The https port named with http: the scheme changes, a port other than 80 is kept.
    const port = new URL(https).port;
    const upgraded = nam.get(trustingRequest(`http://localhost:${port}/get`));
    assert.equal(upgraded.url().href, `https://localhost:${port}/get`);
    await upgraded.done;
    assert.equal(upgraded.error(), NetworkError.NoError, upgraded.errorString());
    assert.equal(upgraded.attribute(Attribute.HttpStatusCodeAttribute), 200);
    assert.equal(upgraded.attribute(Attribute.ConnectionEncryptedAttribute), true);
  });
});
