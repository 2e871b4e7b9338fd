// No .ts file and no ```ts block of a .md file imports equal, deepEqual, notEqual or notDeepEqual by name
// from "node:assert/strict": in Deno 2.9.6 those named exports are the loose functions (equal("1", 1)
// passes), only the default export's methods are strict. Import the strict function under the short name
// instead: `import { strictEqual as equal } from "node:assert/strict"`.
//
// `deno task test` may read tests/, docs/ and examples/ only, so the test runs this file again with
// `deno run --allow-read=.` from the repository's root, which scans every file and prints what it found.

import assert from "node:assert/strict";

/** The named exports of node:assert/strict that are loose, each with the strict one to import instead. */
const STRICT_NAME: Readonly<Record<string, string>> = {
  equal: "strictEqual",
  deepEqual: "deepStrictEqual",
  notEqual: "notStrictEqual",
  notDeepEqual: "notDeepStrictEqual",
};

/** A named import from node:assert/strict (beside a default one or not); group 1 is what the braces hold. */
const NAMED_IMPORT = /import\s+(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*(["'])node:assert\/strict\2/g;

/** Directories that are not the project's sources: hidden ones, and the build outputs and caches. */
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", "cov"]);

/** `line: what to import instead` for each loose named import in TypeScript `source`. */
function looseImports(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(NAMED_IMPORT)) {
    const line = source.slice(0, match.index).split("\n").length;
    for (const specifier of match[1].split(",")) {
      const [imported, local = imported] = specifier.trim().split(/\s+as\s+/);
      if (Object.hasOwn(STRICT_NAME, imported)) {
        found.push(`${line}: import ${STRICT_NAME[imported]} as ${local}, not the loose ${imported}`);
      }
    }
  }
  return found;
}

/** `markdown` with every line outside a ```ts block blanked, so that line numbers stay. */
function typeScriptBlocks(markdown: string): string {
  let inBlock = false;
  return markdown.split("\n").map((line) => {
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence !== null) {
      inBlock = !inBlock && (fence[1] === "ts" || fence[1] === "typescript");
      return "";
    }
    return inBlock ? line : "";
  }).join("\n");
}

/** `path:line: what to import instead` for every loose named import under `directory`. */
async function scan(directory: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    const path = directory === "." ? entry.name : `${directory}/${entry.name}`;
    if (entry.isDirectory && !entry.name.startsWith(".") && !SKIPPED_DIRECTORIES.has(entry.name)) {
      found.push(...await scan(path));
    } else if (entry.isFile && (path.endsWith(".ts") || path.endsWith(".md"))) {
      const text = await Deno.readTextFile(path);
      const source = path.endsWith(".md") ? typeScriptBlocks(text) : text;
      found.push(...looseImports(source).map((problem) => `${path}:${problem}`));
    }
  }
  return found.sort();
}

if (import.meta.main) console.log(JSON.stringify(await scan(".")));

/** The end of an import from node:assert/strict, kept apart so that this file's own scan passes. */
const FROM = 'from "node:assert/strict";';

Deno.test("looseImports: names the line and the strict function of each loose named import", () => {
  const source = [
    `import { strictEqual as equal, throws } ${FROM}`,
    `import { deepEqual, match, notEqual as differ } ${FROM}`,
    "import {",
    "  notDeepEqual,",
    `} ${FROM}`,
    'import { deepEqual } from "node:assert";',
  ].join("\n");
  assert.deepEqual(looseImports(source), [
    "2: import deepStrictEqual as deepEqual, not the loose deepEqual",
    "2: import notStrictEqual as differ, not the loose notEqual",
    "3: import notDeepStrictEqual as notDeepEqual, not the loose notDeepEqual",
  ]);
});

Deno.test("typeScriptBlocks: keeps the lines of ```ts blocks only, at their line numbers", () => {
  const markdown = [
    "```sh",
    `import { equal } ${FROM}`,
    "```",
    "```ts ignore",
    `import { equal } ${FROM}`,
    "```",
    `import { equal } ${FROM}`,
  ].join("\n");
  assert.deepEqual(looseImports(typeScriptBlocks(markdown)), [
    "5: import strictEqual as equal, not the loose equal",
  ]);
});

Deno.test("no file imports a loose equal, deepEqual, notEqual or notDeepEqual from node:assert/strict", async () => {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read=.", new URL(import.meta.url).pathname],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const found: string[] = JSON.parse(new TextDecoder().decode(stdout));
  assert.deepEqual(
    found,
    [],
    "In Deno 2.9.6 the named exports equal, deepEqual, notEqual and notDeepEqual of node:assert/strict " +
      'are the loose functions (equal("1", 1) passes). Import the strict ones under those names:\n' +
      found.join("\n"),
  );
});
