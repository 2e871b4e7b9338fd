/**
 * The version `--version` prints: the package's, kept equal to deno.json's
 * by a test.
 *
 * @module
 */

/**
 * netreply's version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VERSION } from "./version.ts";
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION = "0.1.0";
