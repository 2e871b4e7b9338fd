// Run by tls_fallback_test.ts without --allow-sys: connects with inspectFailures through the Deno
// opener to the port in Deno.args[0] and prints the failure as JSON.
import { denoSocketOpener } from "../../src/transport/sockets/deno_socket_opener.ts";
import { SocketOpenError } from "../../src/transport/sockets/socket_opener.ts";

try {
  const outcome = await denoSocketOpener.connectTls({
    hostname: "localhost",
    port: Number(Deno.args[0]),
    signal: new AbortController().signal,
    tls: { serverName: "localhost", alpnProtocols: ["http/1.1"], inspectFailures: true },
  });
  console.log(JSON.stringify({ kind: outcome.kind }));
} catch (error) {
  const failure = error instanceof SocketOpenError ? error : undefined;
  console.log(JSON.stringify({
    code: failure?.code,
    message: failure?.message ?? String(error),
    kinds: failure?.sslErrors?.map((e) => e.kind),
  }));
}
