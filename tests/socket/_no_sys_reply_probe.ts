// Run by socket_tls_without_sys_test.ts without --allow-sys: one socket-transport GET to
// https://localhost:<Deno.args[0]>/ whose sslErrors listener ignores everything; prints what the
// reply saw as JSON.
import { NetworkAccessManager } from "../../mod.ts";

await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });
const reply = nam.get(`https://localhost:${Deno.args[0]}/`);
const sslErrors: { kind: number; certificate: boolean }[][] = [];
reply.addEventListener("sslErrors", (event) => {
  sslErrors.push(
    event.errors.map((error) => ({ kind: error.kind, certificate: error.certificate !== undefined })),
  );
  reply.ignoreSslErrors();
});
await reply.done;
console.log(JSON.stringify({ sslErrors, code: reply.error(), message: reply.errorString() }));
