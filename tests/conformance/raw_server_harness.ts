/**
 * The part of a transport harness that serves conformance rows from a raw
 * TCP server on loopback writing exactly the bytes each row describes; a
 * harness adds only the manager (and so the transport) it tests.
 */

import type { NetworkAccessManager } from "../../mod.ts";
import { type RawExchange, startRawHttpServer } from "../support/raw_http_server.ts";
import { closedPort } from "../support/servers.ts";
import type { Harness, HarnessRun } from "./harness.ts";
import type { Scenario, Served, ServedResponse } from "./scenarios.ts";

const encoder = new TextEncoder();
/** Extra bytes promised by Content-Length on a truncated or stalled body. */
const MISSING = 100;

async function answer(exchange: RawExchange, served: ServedResponse, other: string): Promise<void> {
  const chunks = (served.chunks ?? []).map((chunk) => encoder.encode(chunk));
  const length = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) +
    (served.ending === undefined || served.ending === "complete" ? 0 : MISSING);
  const lines = [`HTTP/1.1 ${served.status} ${served.reason ?? ""}`.trimEnd()];
  for (const [name, value] of served.headers ?? []) lines.push(`${name}: ${value.replace("{other}", other)}`);
  if (served.status !== 204) lines.push(`Content-Length: ${length}`);
  lines.push("Connection: close");
  await exchange.write(lines.join("\r\n") + "\r\n\r\n");
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0) await exchange.pause(5);
    await exchange.write(chunk);
  }
  if (served.ending === "stall") await exchange.closed;
  exchange.close();
}

/**
 * A harness named `name` whose manager comes from `manager()`, against a raw
 * server; "refused" rows use a closed port.
 */
export function rawServerHarness(name: string, manager: () => NetworkAccessManager): Harness {
  return {
    name,
    start(scenario: Scenario): Promise<HarnessRun> {
      const refused = Object.values(scenario.routes).some((served) => "refused" in served);
      const server = startRawHttpServer(async (exchange) => {
        const path = new URL(exchange.request.target, "http://placeholder").pathname;
        const served: Served = scenario.routes[path] ?? { status: 404, chunks: [`no route ${path}`] };
        if ("silent" in served || "refused" in served) return await exchange.closed;
        await answer(exchange, served, `http://localhost:${server.port}`);
      });
      const base = refused ? new URL(`http://127.0.0.1:${closedPort()}/`) : server.url;
      const nam = manager();
      return Promise.resolve({
        base,
        nam,
        methods: () => server.requests.map((request) => request.method),
        close: async () => {
          await nam.close();
          await server.close();
        },
      });
    },
  };
}
