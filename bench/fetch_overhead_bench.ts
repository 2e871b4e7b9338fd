/**
 * What netreply costs on top of the runtime's fetch: the same GETs against a
 * loopback Deno.serve, raw fetch as the baseline, measured in the same run.
 *
 * Run: `deno task bench` (prints ratios against the raw-fetch baseline).
 */

import { NetworkAccessManager } from "../mod.ts";

const small = new TextEncoder().encode("hello");
const large = new Uint8Array(1024 * 1024).fill(7);
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
  return new Response(new URL(request.url).pathname === "/large" ? large : small);
});
const base = `http://127.0.0.1:${server.addr.port}`;
const nam = new NetworkAccessManager({ proxy: null });

globalThis.addEventListener("unload", () => {
  void nam.close();
  void server.shutdown();
});

for (const [group, path] of [["small body (5 B)", "/small"], ["large body (1 MiB)", "/large"]] as const) {
  Deno.bench({ name: "raw fetch + arrayBuffer()", group, baseline: true }, async () => {
    const response = await fetch(base + path);
    await response.arrayBuffer();
  });
  Deno.bench({ name: "netreply get() + bytes()", group }, async () => {
    await nam.get(base + path).bytes();
  });
  Deno.bench({ name: "netreply get() + readAll() on finished", group }, async () => {
    const reply = nam.get(base + path);
    await reply.done;
    reply.readAll();
  });
}
