/**
 * {@linkcode loadNodeBuiltins}: `node:net`, `node:tls` and `node:crypto`,
 * loaded with a dynamic `import()` when the Node opener first connects.
 *
 * The Node opener reaches these modules only through here, so that a bundle
 * of netreply (esbuild, `deno bundle`, wrangler) carries no static `node:*`
 * import: a Cloudflare worker without `nodejs_compat`, or a browser, loads
 * the package and never asks for a module it does not have.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { loadNodeBuiltins } from "./node_builtins.ts";
 * const { net } = await loadNodeBuiltins();
 * equal(net.isIP("127.0.0.1"), 4);
 * ```
 *
 * @module
 */

import type * as NodeCrypto from "node:crypto";
import type * as NodeNet from "node:net";
import type * as NodeTls from "node:tls";

/** The three Node modules the Node opener uses, as module namespaces. */
export interface NodeBuiltins {
  /** `node:net`: plain TCP connections and `isIP`. */
  readonly net: typeof NodeNet;
  /** `node:tls`: TLS connections; `rootCertificates` is read only when needed (Deno asks `--allow-sys` for it). */
  readonly tls: typeof NodeTls;
  /** `node:crypto`: `X509Certificate`, to read the peer's chain. */
  readonly crypto: typeof NodeCrypto;
}

let loading: Promise<NodeBuiltins> | undefined;

async function load(): Promise<NodeBuiltins> {
  const [net, tls, crypto] = await Promise.all([
    import("node:net"),
    import("node:tls"),
    import("node:crypto"),
  ]);
  return { net, tls, crypto };
}

/**
 * The Node modules, loaded once. A runtime without them rejects with its
 * own module-not-found error, which the opener's caller reports.
 *
 * @returns The modules.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { loadNodeBuiltins } from "./node_builtins.ts";
 * equal((await loadNodeBuiltins()), (await loadNodeBuiltins()));
 * ```
 */
export function loadNodeBuiltins(): Promise<NodeBuiltins> {
  loading ??= load();
  return loading;
}
