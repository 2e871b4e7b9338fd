import assert from "node:assert/strict";
import { NetworkAccessManager, type SslConfiguration } from "../../mod.ts";
import { MockTransport } from "../../testing.ts";

/** A MockTransport that records connectToHost() calls. */
class RecordingTransport extends MockTransport {
  readonly connects: [string, SslConfiguration | undefined][] = [];
  connectToHost(url: URL, ssl?: SslConfiguration): void {
    this.connects.push([url.href, ssl]);
  }
}

Deno.test("connectToHost() and connectToHostEncrypted() hand the origin to the transport", async () => {
  const transport = new RecordingTransport();
  await using nam = new NetworkAccessManager({ transport });
  nam.connectToHost("example.test");
  nam.connectToHost("::1", 8080);
  nam.connectToHostEncrypted("example.test", 8443, { caCertificates: ["pem"] });
  assert.deepEqual(transport.connects, [
    ["http://example.test/", undefined],
    ["http://[::1]:8080/", undefined],
    ["https://example.test:8443/", { caCertificates: ["pem"] }],
  ]);
});

Deno.test("connectToHost() on the fetch transport is a no-op", async () => {
  await using nam = new NetworkAccessManager({ proxy: null });
  nam.connectToHost("127.0.0.1", 9);
  nam.connectToHostEncrypted("localhost");
});

for (
  const [host, port, error, message] of [
    ["bad host", 80, TypeError, 'Cannot connect to host "bad host": not a valid host name'],
    ["example.test", 0, RangeError, 'Cannot connect to host "example.test": port 0 is not 1-65535'],
    ["example.test", 70000, RangeError, 'Cannot connect to host "example.test": port 70000 is not 1-65535'],
  ] as const
) {
  Deno.test(`connectToHost(${JSON.stringify(host)}, ${port}) throws ${error.name}`, async () => {
    await using nam = new NetworkAccessManager({ transport: new RecordingTransport() });
    assert.throws(() => nam.connectToHost(host, port), { name: error.name, message });
  });
}
