/**
 * A loopback TLS server for the socket opener tests: `Deno.listenTls` with a
 * certificate from tests/support/certs/, answering every connection's first
 * bytes with `echo:<bytes>` and closing it. Handshakes the client refuses are
 * counted, not thrown.
 *
 * @module
 */

import type { ByteStream, TlsOptions } from "../../src/transport/sockets/socket_opener.ts";
import { pem } from "../support/servers.ts";

/** TLS options for `localhost` with ALPN http/1.1 and no failure inspection, with overrides. */
export function tlsOptions(overrides: Partial<TlsOptions> = {}): TlsOptions {
  return { serverName: "localhost", alpnProtocols: ["http/1.1"], inspectFailures: false, ...overrides };
}

/** Sends "ping" on an opened stream, reads the echo to its end and closes the stream. */
export async function echoRoundTrip(stream: ByteStream): Promise<string> {
  await stream.write(new TextEncoder().encode("ping"));
  const decoder = new TextDecoder();
  let text = "";
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    text += decoder.decode(chunk, { stream: true });
  }
  stream.close();
  return text;
}

/** A running TLS echo server. */
export interface TlsEchoServer extends AsyncDisposable {
  readonly port: number;
  /** Connections accepted so far (one per handshake a client started). */
  readonly accepted: number;
}

async function serve(conn: Deno.TlsConn): Promise<void> {
  try {
    await conn.handshake();
    const buffer = new Uint8Array(1024);
    const count = await conn.read(buffer);
    if (count !== null) {
      const answer = new Uint8Array([...new TextEncoder().encode("echo:"), ...buffer.subarray(0, count)]);
      for (let written = 0; written < answer.length;) written += await conn.write(answer.subarray(written));
    }
  } catch {
    // The client refused the certificate or went away: nothing to answer.
  } finally {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }
}

/**
 * Starts the server on 127.0.0.1 with `<certificate>.pem` (a certificate or a chain, leaf first) and
 * `<key>-key.pem` from tests/support/certs/ (ALPN "http/1.1").
 */
export function serveTlsEcho(certificate: string, key: string = certificate): TlsEchoServer {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: pem(`${certificate}.pem`),
    key: pem(`${key}-key.pem`),
    alpnProtocols: ["http/1.1"],
  });
  const connections = new Set<Promise<void>>();
  let accepted = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      accepted++;
      const served = serve(conn).finally(() => connections.delete(served));
      connections.add(served);
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    get accepted() {
      return accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      await Promise.all(connections);
    },
  };
}
