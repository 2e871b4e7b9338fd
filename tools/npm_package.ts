/**
 * The npm build's package.json, derived from deno.json so that JSR and npm
 * publish the same name, version and entry points: each deno.json export
 * `"./x": "./x.ts"` becomes `"./x": { types: "./x.d.ts", default: "./x.js" }`,
 * except the Deno-only ones ({@linkcode DENO_ONLY_EXPORTS}). Pure:
 * tools/build_npm.ts reads deno.json and writes the result.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { npmPackageJson } from "./npm_package.ts";
 *
 * const pkg = npmPackageJson({
 *   name: "@netreply/netreply",
 *   version: "0.1.0",
 *   description: "Qt's network access model",
 *   license: "MIT",
 *   exports: { ".": "./mod.ts", "./testing": "./testing.ts", "./cli": "./cli.ts" },
 * });
 * equal(pkg.types, "./mod.d.ts");
 * deepEqual(pkg.exports["./testing"], { types: "./testing.d.ts", default: "./testing.js" });
 * ```
 *
 * @module
 */

/** The oldest Node the build supports (`engines.node`). */
export const NODE_ENGINE = ">=20";

/**
 * Entry points that JSR publishes and npm does not: `./cli` is a command
 * line for Deno (it reads `Deno.args`, writes `Deno.stdout`, takes Deno's
 * permissions), which Node and Bun cannot run.
 */
export const DENO_ONLY_EXPORTS: readonly string[] = ["./cli"];

/** The fields of deno.json the npm package is made from. */
export interface DenoPackageConfig {
  /** The package name, e.g. `"@netreply/netreply"` (the same scope and name on JSR and npm). */
  readonly name: string;
  /** The version, e.g. `"0.1.0"`. */
  readonly version: string;
  /** One sentence about the package. */
  readonly description: string;
  /** An SPDX license identifier. */
  readonly license: string;
  /** Entry points: subpath to a `./*.ts` source file. */
  readonly exports: Readonly<Record<string, string>>;
}

/** One entry point of the npm package: its declarations and its ES module. */
export interface NpmExport {
  /** The `.d.ts` file, e.g. `"./mod.d.ts"`. */
  readonly types: string;
  /** The `.js` file, e.g. `"./mod.js"`. */
  readonly default: string;
}

/** The package.json of the npm build. */
export interface NpmPackageJson {
  /** The package name. */
  readonly name: string;
  /** The version. */
  readonly version: string;
  /** One sentence about the package. */
  readonly description: string;
  /** An SPDX license identifier. */
  readonly license: string;
  /** Always `"module"`: the build is ESM only. */
  readonly type: "module";
  /** The root entry point's declarations, for tools that do not read `exports`. */
  readonly types: string;
  /** Every entry point, with conditions `types` then `default`. */
  readonly exports: Readonly<Record<string, NpmExport>>;
  /** Node versions supported. */
  readonly engines: { readonly node: string };
  /** Always false: importing a module has no effect besides its exports. */
  readonly sideEffects: false;
}

/**
 * The path a compiled source gets: `./src/x.ts` becomes `./src/x.js` or
 * `./src/x.d.ts`.
 *
 * @param source A `./…ts` path relative to the package root.
 * @param kind `"js"` for the module, `"d.ts"` for its declarations.
 * @returns The compiled file's path, relative to the package root.
 * @throws {TypeError} When `source` does not start with `./` or does not end with `.ts`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { compiledPath } from "./npm_package.ts";
 * equal(compiledPath("./testing.ts", "d.ts"), "./testing.d.ts");
 * ```
 */
export function compiledPath(source: string, kind: "js" | "d.ts"): string {
  if (!source.startsWith("./") || !source.endsWith(".ts") || source.endsWith(".d.ts")) {
    throw new TypeError(`Cannot compile ${JSON.stringify(source)}: an entry point is a "./….ts" source file`);
  }
  return `${source.slice(0, -".ts".length)}.${kind}`;
}

/**
 * The npm package.json for a deno.json: its name, version, description and
 * license, and every export but the Deno-only ones compiled to `.js` with
 * its `.d.ts`.
 *
 * @param config The parsed deno.json.
 * @param denoOnly Subpaths of deno.json's exports to leave out; each must be one of them.
 * @returns The package.json, ready for `JSON.stringify`.
 * @throws {TypeError} When a field is missing or of the wrong type, naming the field and what it held.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { npmPackageJson } from "./npm_package.ts";
 * throws(() => npmPackageJson({ name: "@a/b" }), {
 *   name: "TypeError",
 *   message: 'deno.json "version" must be a non-empty string, got undefined',
 * });
 * ```
 */
export function npmPackageJson(
  config: unknown,
  denoOnly: readonly string[] = DENO_ONLY_EXPORTS,
): NpmPackageJson {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError(`deno.json must hold an object, got ${describe(config)}`);
  }
  const fields = config as Record<string, unknown>;
  const text = (field: keyof DenoPackageConfig): string => {
    const value = fields[field];
    if (typeof value !== "string" || value === "") {
      throw new TypeError(
        `deno.json ${JSON.stringify(field)} must be a non-empty string, got ${describe(value)}`,
      );
    }
    return value;
  };
  const [name, version, description, license] = [
    text("name"),
    text("version"),
    text("description"),
    text("license"),
  ];
  const exports = exportMap(fields.exports, denoOnly);
  return {
    name,
    version,
    description,
    license,
    type: "module",
    types: exports["."].types,
    exports,
    engines: { node: NODE_ENGINE },
    sideEffects: false,
  };
}

/** deno.json's `exports` (a string, or subpath → source) as npm conditional exports. */
function exportMap(
  exports: unknown,
  denoOnly: readonly string[],
): Record<string, NpmExport> & { ".": NpmExport } {
  const entries: [string, unknown][] = typeof exports === "string"
    ? [[".", exports]]
    : typeof exports === "object" && exports !== null && !Array.isArray(exports)
    ? Object.entries(exports)
    : [];
  if (entries.length === 0) {
    throw new TypeError(`deno.json "exports" must name at least one entry point, got ${describe(exports)}`);
  }
  const map: Record<string, NpmExport> = {};
  for (const [subpath, source] of entries) {
    if (typeof source !== "string") {
      throw new TypeError(
        `deno.json export ${JSON.stringify(subpath)} must be a path, got ${describe(source)}`,
      );
    }
    map[subpath] = { types: compiledPath(source, "d.ts"), default: compiledPath(source, "js") };
  }
  for (const subpath of denoOnly) {
    if (!(subpath in map)) {
      throw new TypeError(`Deno-only export ${JSON.stringify(subpath)} is not in deno.json "exports"`);
    }
    delete map[subpath];
  }
  const root = map["."];
  if (root === undefined) throw new TypeError(`deno.json "exports" has no "." entry point`);
  return { ...map, ".": root };
}

/** A value as an error message shows it. */
function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
}
