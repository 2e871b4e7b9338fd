/**
 * The CLI's TLS flags (--cacert, -k) and --proxy, from a child process
 * against loopback HTTPS servers and the test forward proxy.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../cli/exit_codes.ts";
import { startForwardProxy } from "../support/forward_proxy.ts";
import { closedPort, serveHttps } from "../support/servers.ts";
import { allowNet, type EchoedRequest, runCliProcess, startEchoServer } from "./cli_process.ts";

const caFile = new URL("../support/certs/ca.pem", import.meta.url).pathname;

for (const transport of ["fetch", "socket"]) {
  Deno.test(`cli TLS (${transport}): an unknown CA is exit 10 with a hint; --cacert trusts it`, async () => {
    await using server = serveHttps(() => new Response("secure"));
    const permissions = [allowNet(server.url), `--allow-read=${caFile}`];
    const untrusted = await runCliProcess(["-s", "--transport", transport, server.url.href], { permissions });
    assert.equal(untrusted.code, ExitCode.Tls);
    assert.match(
      untrusted.err,
      /\(SslHandshakeFailedError\)\nnetreply: trust the server's CA with --cacert FILE, or ignore certificate errors with -k\n$/,
    );
    const trusted = await runCliProcess(
      ["-s", "--transport", transport, "--cacert", caFile, server.url.href],
      {
        permissions,
      },
    );
    assert.equal(trusted.code, ExitCode.Ok, trusted.err);
    assert.equal(trusted.out, "secure");
  });
}

Deno.test("cli TLS: --cacert with a file that holds no certificate is a usage error naming it", async () => {
  const notPem = new URL("./cli_process.ts", import.meta.url).pathname;
  const run = await runCliProcess(["--cacert", notPem, "https://localhost:9/"], {
    permissions: [`--allow-read=${notPem}`],
  });
  assert.equal(run.code, ExitCode.Usage);
  assert.match(run.err, new RegExp(`^netreply: --cacert "${notPem}": the file holds no PEM certificate\\n`));
});

Deno.test("cli TLS: -k ignores a self-signed certificate on the socket transport (with --allow-sys)", async () => {
  await using server = serveHttps(() => new Response("self-signed but accepted"), {
    certificate: "selfsigned",
  });
  const run = await runCliProcess(["-s", "-k", server.url.href], {
    permissions: [allowNet(server.url), "--allow-sys"],
  });
  assert.equal(run.code, ExitCode.Ok, run.err);
  assert.equal(run.out, "self-signed but accepted");
});

Deno.test("cli TLS: -k without --allow-sys cannot ignore the errors on Deno, and says so", async () => {
  await using server = serveHttps(() => new Response("never"), { certificate: "selfsigned" });
  const run = await runCliProcess(["-s", "-k", server.url.href], { permissions: [allowNet(server.url)] });
  assert.equal(run.code, ExitCode.Tls);
  assert.match(
    run.err,
    /\nnetreply: -k could not ignore the errors: on Deno the socket transport reads the certificate chain through node:tls, which needs --allow-sys\n$/,
  );
});

Deno.test("cli TLS: -k with --allow-sys against a server that does not speak TLS says the failure is not a certificate", async () => {
  await using server = startEchoServer();
  const url = new URL(server.url);
  url.protocol = "https:";
  const run = await runCliProcess(["-s", "-k", url.href], {
    permissions: [allowNet(server.url), "--allow-sys"],
  });
  assert.equal(run.code, ExitCode.Tls);
  assert.match(
    run.err,
    /\(SslHandshakeFailedError\)\nnetreply: -k could not ignore the errors: the handshake failed for a reason other than a certificate\n$/,
  );
});

for (const transport of ["fetch", "socket"]) {
  Deno.test(`cli --proxy (${transport}): the request goes through the proxy`, async () => {
    await using server = startEchoServer();
    await using proxy = startForwardProxy();
    const url = new URL("/echo", server.url).href;
    const run = await runCliProcess(["-s", "--transport", transport, "--proxy", proxy.url.href, url], {
      permissions: [allowNet(server.url, proxy.url)],
    });
    assert.equal(run.code, ExitCode.Ok, run.err);
    assert.equal((JSON.parse(run.out) as EchoedRequest).path, "/echo");
    assert.deepEqual(proxy.requests.map((request) => request.target), [url]);
  });
}

Deno.test("cli --proxy: a proxy that refuses connections is exit 12", async () => {
  await using server = startEchoServer();
  const port = closedPort();
  const run = await runCliProcess(
    ["-s", "--transport", "socket", "--proxy", `http://127.0.0.1:${port}`, server.url.href],
    { permissions: [`--allow-net=127.0.0.1`] },
  );
  assert.equal(run.code, ExitCode.Proxy, run.err);
  assert.match(run.err, /\(ProxyConnectionRefusedError\)\n$/);
});
