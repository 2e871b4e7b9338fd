/**
 * {@linkcode defaultManager}: one ready-made manager for scripts and
 * one-off requests, as an application shares one QNetworkAccessManager.
 *
 * @module
 */

import { NetworkAccessManager } from "./manager.ts";

/**
 * A manager with the default options (the fetch transport, the environment's
 * proxy, an in-memory cookie jar), made when the module loads and shared by
 * everything that imports it — its cookies and remembered credentials too.
 * It holds nothing between requests, so it needs no closing; `close()` on it
 * is permanent (every later request fails with OperationCanceledError). Make
 * your own {@linkcode NetworkAccessManager} for other options, for isolation,
 * or to close it with `await using`.
 *
 * @example POST JSON, read JSON
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultManager } from "@netreply/netreply";
 *
 * await using api = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   async (request) => Response.json({ id: 7, ...await request.json() }, { status: 201 }),
 * );
 * const reply = defaultManager.post(`http://127.0.0.1:${api.addr.port}/users`, { json: { name: "Grace" } });
 * assert.deepEqual(await reply.json(), { id: 7, name: "Grace" });
 * assert.equal(reply.status, 201);
 * ```
 */
export const defaultManager: NetworkAccessManager = new NetworkAccessManager();
