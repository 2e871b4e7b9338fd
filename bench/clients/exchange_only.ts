/**
 * A small GET through netreply's fetch transport alone: its exchange pulled
 * event by event to the end, as the manager pulls it, without the manager,
 * the policy layers or a reply. `bench:floor` and `bench:alloc` use it to show
 * the transport's share of netreply's cost apart from the rest.
 *
 * @module
 */

import type { FetchTransport } from "../../mod.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";

const MIB = 1024 * 1024;

/**
 * Runs one GET of `url` through `transport`'s exchange alone.
 *
 * @param transport The transport (the caller closes it).
 * @param url The URL.
 * @param signal The exchange's signal (default: one of its own).
 * @returns The body's length.
 * @throws If the exchange ends with an error event.
 */
export async function exchangeOnly(
  transport: FetchTransport,
  url: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const events = transport.exchange({
    method: "GET",
    url: new URL(url),
    headers: new HttpHeaders(),
    body: null,
    decompress: true,
    decompressedSafetyCheckThreshold: 10 * MIB,
    proxy: null,
    answer: () => false,
    options: { http2Allowed: true },
  }, signal);
  let bytes = 0;
  try {
    for (;;) {
      const step = await events.next();
      if (step.done || step.value.type === "end") return bytes;
      const event = step.value;
      if (event.type === "error") throw new Error(`GET ${url}: ${event.message}`);
      if (event.type === "data") bytes += event.bytes.byteLength;
    }
  } finally {
    await events.return?.();
  }
}
