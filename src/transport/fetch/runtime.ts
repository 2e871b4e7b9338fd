/**
 * Which JavaScript runtime the fetch transport runs on, and what that
 * runtime's `fetch` does on its own (measured on Deno 2.9.6; see docs/fetch-transport.md).
 *
 * Detected at call time by feature checks, never by imports, so the package
 * loads everywhere.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { detectRuntime, runtimeDecodes } from "./runtime.ts";
 * const runtime = detectRuntime();
 * equal(runtime, "deno");
 * equal(runtimeDecodes(runtime, "gzip"), true);
 * ```
 *
 * @module
 */

import type { HttpHeaders } from "../../core/http_headers.ts";

/** The runtimes the fetch transport knows; `"other"` is anything else with a `fetch` (e.g. a browser). */
export type RuntimeName = "deno" | "bun" | "workerd" | "node" | "other";

interface RuntimeGlobals {
  Deno?: { version?: { deno?: unknown } };
  Bun?: unknown;
  process?: { versions?: { node?: unknown } };
  navigator?: { userAgent?: unknown };
}

/**
 * The runtime this code runs on. Deno is checked first (Deno 2 also defines
 * `process`), workerd by its fixed `navigator.userAgent`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { detectRuntime } from "./runtime.ts";
 * equal(detectRuntime(), "deno");
 * ```
 */
export function detectRuntime(): RuntimeName {
  const g = globalThis as RuntimeGlobals;
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (g.Bun !== undefined) return "bun";
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (typeof g.process?.versions?.node === "string") return "node";
  return "other";
}

/** A human name for messages, e.g. "Deno". */
export const runtimeDisplayName: Readonly<Record<RuntimeName, string>> = {
  deno: "Deno",
  bun: "Bun",
  workerd: "Cloudflare Workers (workerd)",
  node: "Node",
  other: "this runtime",
};

// Content-codings each runtime's fetch decodes by itself (checked on Deno 2.9.6,
// Bun 1.4.5, Node 20.20.2, workerd 2026-11-17). "other" follows the Fetch
// standard's long-standing set. All of them keep Content-Encoding and
// Content-Length on the decoded response.
const decodedByRuntime: Readonly<Record<RuntimeName, ReadonlySet<string>>> = {
  deno: new Set(["gzip", "br"]),
  workerd: new Set(["gzip", "br"]),
  node: new Set(["gzip", "br", "deflate"]),
  bun: new Set(["gzip", "br", "deflate", "zstd"]),
  other: new Set(["gzip", "br", "deflate"]),
};

/**
 * Whether the runtime's `fetch` decodes a body with this single
 * content-coding (lower-case) before handing it over.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { runtimeDecodes } from "./runtime.ts";
 * equal(runtimeDecodes("deno", "deflate"), false);
 * ```
 */
export function runtimeDecodes(runtime: RuntimeName, coding: string): boolean {
  return decodedByRuntime[runtime].has(coding);
}

/**
 * Whether the runtime's `fetch` decodes the response to a request with these
 * header fields at all (which codings it decodes is {@linkcode runtimeDecodes}).
 *
 * Deno 2.9.6, measured against a raw loopback server (tests/fetch/decoding_test.ts):
 * it decodes gzip and br whatever Accept-Encoding the request carries, except
 * when the request has a `Range` field (Deno then sends
 * `Accept-Encoding: identity` itself) or when its first Accept-Encoding field
 * is exactly `identity` (any letter case; `identity;q=1`, `identity, gzip` and
 * `*` are still decoded). The other runtimes were not measured this way and
 * are taken to decode always.
 *
 * @param runtime The runtime.
 * @param headers The request's header fields, before the transport adds any.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { runtimeDecodesRequest } from "./runtime.ts";
 * equal(runtimeDecodesRequest("deno", new HttpHeaders([["accept-encoding", "Identity"]])), false);
 * equal(runtimeDecodesRequest("deno", new HttpHeaders([["accept-encoding", "gzip"]])), true);
 * ```
 */
export function runtimeDecodesRequest(runtime: RuntimeName, headers: HttpHeaders): boolean {
  if (runtime !== "deno" || headers.isEmpty()) return true;
  if (headers.contains("range")) return false;
  return headers.value("accept-encoding")?.toLowerCase() !== "identity";
}
