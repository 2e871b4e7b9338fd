/**
 * The socket transport on Deno: a connect the runtime refuses (NotCapable)
 * gives PermissionDeniedError naming the host, the port and the flag to
 * add, exactly as the fetch transport does — for the target, an https
 * target, an IPv6 literal and a proxy.
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";

const denied = (hostPort: string) =>
  `Net access to "${hostPort}" was denied by the runtime: run with --allow-net=${hostPort}`;

/** The names along an error's cause chain. */
function causes(error: unknown): string[] {
  const names: string[] = [];
  for (let e = (error as Error | undefined)?.cause; e instanceof Error; e = e.cause) names.push(e.name);
  return names;
}

Deno.test({
  name: "socket transport: no net permission gives PermissionDeniedError naming the host, port and flag",
  permissions: { net: false },
  async fn(t) {
    const cases: [string, string][] = [
      ["http://127.0.0.1:8080/data", "127.0.0.1:8080"],
      ["https://localhost/", "localhost:443"],
      ["http://[::1]:9/", "[::1]:9"],
    ];
    for (const [url, hostPort] of cases) {
      await t.step(url, async () => {
        const transport = new SocketTransport();
        const result = await runExchange(transport, exchangeRequest(url, { proxy: null }));
        assert.deepEqual(result.trace.at(-1), `error(${NetworkError.PermissionDeniedError})`);
        assert.equal(result.error?.message, denied(hostPort));
        assert.ok(causes(result.error).includes("NotCapable"), "the runtime's NotCapable is kept as a cause");
        await transport.close();
      });
    }
  },
});

Deno.test("socket transport: a proxy host outside --allow-net is named in PermissionDeniedError", async () => {
  const transport = new SocketTransport();
  const result = await runExchange(
    transport,
    exchangeRequest("http://127.0.0.1:8080/", { proxy: new URL("http://user:pw@proxy.example:3128") }),
  );
  assert.deepEqual(result.trace.at(-1), `error(${NetworkError.PermissionDeniedError})`);
  assert.equal(result.error?.message, denied("proxy.example:3128"));
  await transport.close();
});
