/**
 * The load test's server, run in its own process (`deno run
 * --allow-net=127.0.0.1 tests/reliability/load_server.ts`): Deno.serve on
 * 127.0.0.1, port 0, answering `/?id=N` with the body `N` (and an `x-id`
 * field), so that a lost, duplicated or crossed response shows. It prints
 * its port on the first line of stdout and exits when stdin closes, so it
 * never outlives the test that started it.
 *
 * @module
 */

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
  const id = new URL(request.url).searchParams.get("id") ?? "";
  return new Response(id, { headers: { "x-id": id } });
});
console.log(server.addr.port);
for await (const _ of Deno.stdin.readable) {
  // Nothing is ever written; the loop ends when the parent closes stdin (or dies).
}
await server.shutdown();
