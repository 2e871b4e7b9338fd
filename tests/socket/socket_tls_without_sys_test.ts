/**
 * The socket transport on Deno without --allow-sys: the peer's chain of a
 * refused certificate cannot be read (node:tls needs it), so `sslErrors`
 * shows the kind alone, ignoring it cannot help, and the reply fails with
 * SslHandshakeFailedError saying what is missing — as on fetch, never a crash.
 */
import assert from "node:assert/strict";
import { NetworkError, SslErrorKind } from "../../mod.ts";
import { serveTlsEcho } from "../sockets/tls_server.ts";

Deno.test("socket reply without --allow-sys: sslErrors with the kind only, then SslHandshakeFailedError naming the flag", async () => {
  await using server = serveTlsEcho("selfsigned");
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-prompt",
      "--allow-net=127.0.0.1,localhost",
      new URL("./_no_sys_reply_probe.ts", import.meta.url).pathname,
      String(server.port),
    ],
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const result = JSON.parse(new TextDecoder().decode(stdout));
  assert.deepEqual(result.sslErrors, [[{
    kind: SslErrorKind.UnableToGetLocalIssuerCertificate,
    certificate: false,
  }]]);
  assert.equal(result.code, NetworkError.SslHandshakeFailedError);
  assert.match(
    result.message,
    /^SSL handshake failed: .*UnknownIssuer\) \(the peer's certificates could not be read: node:tls needs --allow-sys to load the default root certificates\)$/,
  );
});
