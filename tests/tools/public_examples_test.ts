/**
 * Every symbol an entry point of the package exports (deno.json `exports`)
 * has a documentation example that asserts (`node:assert/strict`), rather
 * than one that prints, or none: JSR shows these examples, and
 * `deno task test:doc` runs them.
 *
 * @module
 */

import { deepStrictEqual as deepEqual } from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };

/** The parts of `deno doc --json` this test reads. */
interface DocJson {
  readonly nodes: Record<string, {
    readonly symbols?: readonly {
      readonly name: string;
      readonly declarations: readonly {
        readonly jsDoc?: { readonly tags?: readonly { readonly kind: string; readonly doc?: string }[] };
      }[];
    }[];
  }>;
}

/** An assertion from node:assert/strict called in an example. */
const ASSERTION = /\b(?:equal|deepEqual|notEqual|ok|throws|rejects|match|strictEqual|deepStrictEqual)\(/;

async function docJson(entry: string): Promise<DocJson> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno doc --json ${entry} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** `entry:symbol` for each exported symbol whose examples never assert (or that has none). */
function withoutAssertingExample(entry: string, doc: DocJson): string[] {
  const missing: string[] = [];
  for (const node of Object.values(doc.nodes)) {
    for (const symbol of node.symbols ?? []) {
      const examples = symbol.declarations.flatMap((declaration) =>
        (declaration.jsDoc?.tags ?? []).filter((tag) => tag.kind === "example").map((tag) => tag.doc ?? "")
      );
      if (!examples.some((example) => ASSERTION.test(example))) missing.push(`${entry}:${symbol.name}`);
    }
  }
  return missing;
}

for (const entry of Object.values(config.exports)) {
  Deno.test(`every symbol ${entry} exports has a doc example that asserts`, async () => {
    deepEqual(withoutAssertingExample(entry, await docJson(entry)), []);
  });
}
