/**
 * A runtime that refuses net access (Deno's NotCapable) gives
 * PermissionDeniedError with the flag to add; an OS-level EACCES does not.
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";

Deno.test({
  name: "fetch transport: no net permission gives PermissionDeniedError naming the host and the flag",
  permissions: { net: false },
  async fn() {
    const transport = new FetchTransport();
    const result = await runExchange(transport, exchangeRequest("http://127.0.0.1:8080/data"));
    assert.deepEqual(result.trace, [`error(${NetworkError.PermissionDeniedError})`]);
    assert.equal(
      result.error?.message,
      'Net access to "127.0.0.1:8080" was denied by the runtime: run with --allow-net=127.0.0.1:8080',
    );
    assert.equal((result.error?.cause as Error).name, "NotCapable");
    await transport.close();
  },
});

Deno.test("fetch transport: a proxy host outside --allow-net is named in PermissionDeniedError", async () => {
  // Deno checks the proxy host when the HTTP client is created: nothing is sent.
  const transport = new FetchTransport();
  const result = await runExchange(
    transport,
    exchangeRequest("http://127.0.0.1:8080/", { proxy: new URL("http://user:pw@proxy.example:3128") }),
  );
  assert.deepEqual(result.trace, [`error(${NetworkError.PermissionDeniedError})`]);
  assert.equal(
    result.error?.message,
    'Net access to "proxy.example:3128" was denied by the runtime: run with --allow-net=proxy.example:3128',
  );
  await transport.close();
});

Deno.test("fetch transport: a child process without net access reports PermissionDeniedError", async () => {
  const probe = new URL("./fixtures/permission_probe.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-lock", probe.href, "http://localhost/index.html"],
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const result = JSON.parse(new TextDecoder().decode(stdout));
  assert.deepEqual(result, {
    trace: [`error(${NetworkError.PermissionDeniedError})`],
    code: NetworkError.PermissionDeniedError,
    message: 'Net access to "localhost" was denied by the runtime: run with --allow-net=localhost',
  });
});
