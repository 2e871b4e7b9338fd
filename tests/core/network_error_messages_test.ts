import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { defaultErrorString } from "../../src/core/network_error_messages.ts";

Deno.test("defaultErrorString gives Qt's texts for the codes Qt words without an argument", () => {
  const table: [NetworkError, string][] = [
    [NetworkError.ConnectionRefusedError, "Connection refused"],
    [NetworkError.RemoteHostClosedError, "Connection closed"],
    [NetworkError.OperationCanceledError, "Operation canceled"],
    [NetworkError.TimeoutError, "Operation timed out"],
    [NetworkError.SslHandshakeFailedError, "SSL handshake failed"],
    [NetworkError.TooManyRedirectsError, "Too many redirects"],
    [NetworkError.InsecureRedirectError, "Insecure redirect"],
    [NetworkError.ProxyAuthenticationRequiredError, "Proxy requires authentication"],
    [NetworkError.AuthenticationRequiredError, "Host requires authentication"],
    [NetworkError.ProtocolUnknownError, "Unknown protocol specified"],
    [NetworkError.ProtocolFailure, "Data corrupted"],
  ];
  for (const [code, text] of table) assert.equal(defaultErrorString(code), text);
});

Deno.test("defaultErrorString has a distinct sentence-case text for every error code", () => {
  const seen = new Map<string, string>();
  for (const [name, code] of Object.entries(NetworkError)) {
    if (code === NetworkError.NoError) continue;
    const text = defaultErrorString(code);
    assert.match(text, /^[A-Z]/, name);
    assert.notEqual(text, "Unknown error", `${name} has no text of its own`);
    assert.equal(seen.get(text), undefined, `${name} repeats the text of ${seen.get(text)}`);
    seen.set(text, name);
  }
});

Deno.test("defaultErrorString says what Qt says before any error for NoError and unknown numbers", () => {
  assert.equal(defaultErrorString(NetworkError.NoError), "Unknown error");
  assert.equal(defaultErrorString(12345 as NetworkError), "Unknown error");
});
