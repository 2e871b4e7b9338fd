// The npm build's package.json (tools/npm_package.ts): made from deno.json's name, version, description,
// license and exports, and a clear TypeError for each field deno.json gets wrong.

import assert from "node:assert/strict";
import denoConfig from "../../deno.json" with { type: "json" };
import { compiledPath, DENO_ONLY_EXPORTS, NODE_ENGINE, npmPackageJson } from "../../tools/npm_package.ts";

const config = {
  name: "@netreply/netreply",
  version: "1.2.3",
  description: "Qt's network access model",
  license: "MIT",
  exports: {
    ".": "./mod.ts",
    "./testing": "./testing.ts",
    "./transport": "./transport.ts",
    "./cli": "./cli.ts",
  },
};

Deno.test("npmPackageJson: every deno.json export but the Deno-only ./cli becomes a types + default export", () => {
  assert.deepEqual(npmPackageJson(config), {
    name: "@netreply/netreply",
    version: "1.2.3",
    description: "Qt's network access model",
    license: "MIT",
    type: "module",
    types: "./mod.d.ts",
    exports: {
      ".": { types: "./mod.d.ts", default: "./mod.js" },
      "./testing": { types: "./testing.d.ts", default: "./testing.js" },
      "./transport": { types: "./transport.d.ts", default: "./transport.js" },
    },
    engines: { node: NODE_ENGINE },
    sideEffects: false,
  });
});

Deno.test("npmPackageJson: exports as one string is the root entry point", () => {
  assert.deepEqual(npmPackageJson({ ...config, exports: "./src/main.ts" }, []).exports, {
    ".": { types: "./src/main.d.ts", default: "./src/main.js" },
  });
});

Deno.test("npmPackageJson: the repository's deno.json makes a package with the root entry point first", () => {
  const pkg = npmPackageJson(denoConfig);
  assert.equal(Object.keys(pkg.exports)[0], ".");
  assert.equal(pkg.types, "./mod.d.ts");
  assert.equal(pkg.engines.node, ">=20");
  assert.deepEqual(DENO_ONLY_EXPORTS.filter((subpath) => subpath in pkg.exports), []);
});

const badConfigs: [string, unknown, string][] = [
  ["not an object", ["x"], 'deno.json must hold an object, got ["x"]'],
  ["null", null, "deno.json must hold an object, got null"],
  ["no name", { ...config, name: undefined }, 'deno.json "name" must be a non-empty string, got undefined'],
  ["an empty version", { ...config, version: "" }, 'deno.json "version" must be a non-empty string, got ""'],
  ["a numeric license", { ...config, license: 1 }, 'deno.json "license" must be a non-empty string, got 1'],
  [
    "no exports",
    { ...config, exports: undefined },
    'deno.json "exports" must name at least one entry point, got undefined',
  ],
  [
    "empty exports",
    { ...config, exports: {} },
    'deno.json "exports" must name at least one entry point, got {}',
  ],
  [
    "exports as an array",
    { ...config, exports: ["./mod.ts"] },
    'deno.json "exports" must name at least one entry point, got ["./mod.ts"]',
  ],
  [
    "no root entry point",
    { ...config, exports: { "./a": "./a.ts" } },
    'deno.json "exports" has no "." entry point',
  ],
  [
    "an export that is no path",
    { ...config, exports: { ".": 1 } },
    'deno.json export "." must be a path, got 1',
  ],
  [
    "a JavaScript entry point",
    { ...config, exports: { ".": "./mod.js" } },
    'Cannot compile "./mod.js": an entry point is a "./….ts" source file',
  ],
  [
    "an entry point outside ./",
    { ...config, exports: { ".": "mod.ts" } },
    'Cannot compile "mod.ts": an entry point is a "./….ts" source file',
  ],
];

Deno.test("npmPackageJson: a Deno-only export that deno.json does not have is a TypeError", () => {
  assert.throws(() => npmPackageJson({ ...config, exports: { ".": "./mod.ts" } }), {
    name: "TypeError",
    message: 'Deno-only export "./cli" is not in deno.json "exports"',
  });
});

for (const [what, bad, message] of badConfigs) {
  Deno.test(`npmPackageJson: ${what} is a TypeError`, () => {
    assert.throws(() => npmPackageJson(bad, []), { name: "TypeError", message });
  });
}

Deno.test("compiledPath: a declaration file is no entry point", () => {
  assert.equal(compiledPath("./src/a.ts", "js"), "./src/a.js");
  assert.throws(() => compiledPath("./types.d.ts", "js"), {
    name: "TypeError",
    message: 'Cannot compile "./types.d.ts": an entry point is a "./….ts" source file',
  });
});
