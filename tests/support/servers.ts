/**
 * Test HTTP and HTTPS servers on loopback (`Deno.serve` on port 0), and the
 * committed test certificates (tests/support/certs/, made by
 * tools/gen_test_certs.sh).
 *
 * Needs `--allow-net=127.0.0.1,localhost,[::1]` and `--allow-read=tests`.
 *
 * @example
 * ```ts
 * import { serveHttp } from "./servers.ts";
 * await using server = serveHttp(() => new Response("hi"));
 * console.log(await (await fetch(server.url)).text()); // hi
 * ```
 *
 * @module
 */

/** Names of the server certificates in tests/support/certs/. */
export type ServerCertificate =
  /** CA-signed, SAN DNS:localhost, IP:127.0.0.1, IP:::1. */
  | "localhost"
  /** Self-signed, CA:FALSE, for localhost. */
  | "selfsigned"
  /** Self-signed with openssl's default CA:TRUE, for localhost (rustls: CaUsedAsEndEntity). */
  | "selfsigned-ca"
  /** CA-signed, for wrong.example only. */
  | "wronghost"
  /** CA-signed, for localhost, valid 2020-01-01 to 2020-02-01. */
  | "expired";

const certDir = new URL("./certs/", import.meta.url);

/** A PEM file from tests/support/certs/, e.g. `pem("ca.pem")`. */
export function pem(file: string): string {
  return Deno.readTextFileSync(new URL(file, certDir));
}

/** The test CA (PEM) that signed `localhost`, `wronghost`, `expired` and `client`. */
export function caCertificate(): string {
  return pem("ca.pem");
}

/** A certificate and its key (PEM). */
export interface CertifiedKey {
  readonly cert: string;
  readonly key: string;
}

/** A server certificate and its key. */
export function serverCertificate(name: ServerCertificate): CertifiedKey {
  return { cert: pem(`${name}.pem`), key: pem(`${name}-key.pem`) };
}

/** The CA-signed client certificate and key (for mutual TLS). */
export function clientCertificate(): CertifiedKey {
  return { cert: pem("client.pem"), key: pem("client-key.pem") };
}

/** A running test server. */
export interface TestServer extends AsyncDisposable {
  /** The server's root URL, e.g. `http://127.0.0.1:41234/`. */
  readonly url: URL;
  readonly port: number;
  /** Stops the server, waiting for open connections to finish. */
  close(): Promise<void>;
}

/** Where a test server listens and how its URL names the host. */
export interface ServeOptions {
  /** Default `"127.0.0.1"` (http) or `"localhost"` (https). `"::1"` listens on IPv6 loopback. */
  readonly hostname?: "127.0.0.1" | "localhost" | "::1";
}

type Handler = (request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => Response | Promise<Response>;

function start(handler: Handler, hostname: string, tls?: CertifiedKey): TestServer {
  const listenOn = hostname === "localhost" ? "127.0.0.1" : hostname;
  const server = Deno.serve({ hostname: listenOn, port: 0, onListen() {}, ...tls }, handler);
  const port = server.addr.port;
  const host = hostname === "::1" ? "[::1]" : hostname;
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: new URL(`${tls ? "https" : "http"}://${host}:${port}/`),
    port,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Starts a plain-HTTP server on loopback, port 0.
 *
 * @example
 * ```ts
 * import { serveHttp } from "./servers.ts";
 * await using server = serveHttp((request) => new Response(new URL(request.url).pathname));
 * console.log(await (await fetch(new URL("/a", server.url))).text()); // /a
 * ```
 */
export function serveHttp(handler: Handler, options: ServeOptions = {}): TestServer {
  return start(handler, options.hostname ?? "127.0.0.1");
}

/**
 * Starts an HTTPS server (HTTP/2 and HTTP/1.1) on loopback, port 0, with one
 * of the test certificates (default `"localhost"`, signed by {@linkcode caCertificate}).
 */
export function serveHttps(
  handler: Handler,
  options: ServeOptions & { readonly certificate?: ServerCertificate } = {},
): TestServer {
  return start(
    handler,
    options.hostname ?? "localhost",
    serverCertificate(options.certificate ?? "localhost"),
  );
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on (taken and released, so
 * a connection to it is refused). Fetch blocks low "bad ports" such as 1, so
 * refusal tests need a high one.
 */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}
