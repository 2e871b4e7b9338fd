/**
 * The two built-in transports every interop test runs on, and how a test file registers its
 * tests once per transport: the same body and assertions, the transport in the test name
 * (`[fetch] GET /get ...`, `[socket] GET /get ...`). Where the transports are documented to
 * differ (docs/transports.md), a test branches on the transport and asserts each one's own
 * expectation.
 *
 * @module
 */

import { NetworkAccessManager, type NetworkAccessManagerOptions } from "../../mod.ts";

/** The built-in transports, in the order their tests are registered. */
export const INTEROP_TRANSPORTS = ["fetch", "socket"] as const;

/** One built-in transport's name, as `new NetworkAccessManager({ transport })` takes it. */
export type InteropTransport = typeof INTEROP_TRANSPORTS[number];

/** Registers one test for the transport the surrounding {@linkcode forEachTransport} call is at. */
export type TransportTest = (name: string, fn: () => Promise<void>) => void;

/**
 * Calls `define` once per transport with a `test` that registers `[transport] name`; the tests
 * are ignored when the servers cannot be started (`suite.ignore`, no `--allow-run`).
 */
export function forEachTransport(
  suite: { readonly ignore: boolean },
  define: (transport: InteropTransport, test: TransportTest) => void,
): void {
  for (const transport of INTEROP_TRANSPORTS) {
    define(transport, (name, fn) => Deno.test({ name: `[${transport}] ${name}`, ignore: suite.ignore, fn }));
  }
}

/** A manager on `transport` that goes direct (no environment proxy) unless `options` names a proxy. */
export function interopManager(
  transport: InteropTransport,
  options: Omit<NetworkAccessManagerOptions, "transport"> = {},
): NetworkAccessManager {
  return new NetworkAccessManager({ proxy: null, ...options, transport });
}

/**
 * The reason phrase of an httpbin reply as `transport` reports it: gunicorn's own, upper-case
 * (`NOT FOUND`), on the socket transport, which reads it off the status line; Deno's standard
 * phrase (`Not Found`) on fetch (docs/transports.md: HttpReasonPhraseAttribute).
 */
export function httpbinReasonPhrase(transport: InteropTransport, standard: string): string {
  return transport === "socket" ? standard.toUpperCase() : standard;
}
