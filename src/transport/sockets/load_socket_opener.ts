/**
 * {@linkcode loadSocketOpener}: the {@linkcode SocketOpener} for the runtime
 * netreply runs on, loaded on first use with a dynamic `import()` so that no
 * `Deno`, `node:*` or `cloudflare:*` import is needed to load the package.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { loadSocketOpener } from "./load_socket_opener.ts";
 * const opener = await loadSocketOpener();
 * equal(opener.name, "deno");
 * ```
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import { detectRuntime, runtimeDisplayName } from "../fetch/runtime.ts";
import type { SocketOpener } from "./socket_opener.ts";
import { SocketOpenError } from "./socket_open_error.ts";

let loading: Promise<SocketOpener> | undefined;

async function load(): Promise<SocketOpener> {
  const runtime = detectRuntime();
  switch (runtime) {
    case "deno":
      return (await import("./deno_socket_opener.ts")).denoSocketOpener;
    case "node":
    case "bun":
      return (await import("./node_socket_opener.ts")).nodeSocketOpener;
    case "workerd":
      return (await import("./workerd_socket_opener.ts")).workerdSocketOpener;
    default:
      throw new SocketOpenError(
        NetworkError.ProtocolUnknownError,
        `The socket transport needs TCP sockets, which ${runtimeDisplayName[runtime]} does not offer: ` +
          "use the fetch transport",
      );
  }
}

/**
 * The opener for this runtime (Deno → `Deno.connect`, Node and Bun →
 * `node:net`/`node:tls`, workerd → `cloudflare:sockets`), memoized. Rejects
 * with `SocketOpenError(ProtocolUnknownError)` on a runtime without sockets
 * (e.g. a browser).
 *
 * @returns The opener.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { loadSocketOpener } from "./load_socket_opener.ts";
 * equal((await loadSocketOpener()), (await loadSocketOpener()));
 * ```
 */
export function loadSocketOpener(): Promise<SocketOpener> {
  loading ??= load();
  return loading;
}
