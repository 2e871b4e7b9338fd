/**
 * Transpiles the smoke suite to ES modules for runtimes that do not run
 * TypeScript (Node 20) or should not see the sources (Bun, workerd): each
 * file of {@linkcode SMOKE_SOURCES} becomes `<name>.js` in the directory
 * given, relative `.ts` imports rewritten to `.js` (an example the suite
 * imports from `examples/` is transpiled beside it, and imported from there). `@netreply/netreply`
 * stays a package import, which run_smoke.sh satisfies with the npm build
 * installed in that directory. Types are checked by `deno check`, not here.
 *
 * Run: `deno run --allow-read=tests/runtimes,examples --allow-write=<dir> --allow-env tests/runtimes/transpile_smoke.ts <dir>`
 * (the compiler reads its environment variables when it loads).
 *
 * @module
 */

import ts from "typescript";

/** The suite's modules, beside this file. */
const SMOKE_SOURCES = [
  "smoke_checks.ts",
  "smoke_server.ts",
  "in_process_smoke.ts",
  "smoke_server_main.ts",
  "workerd_smoke.ts",
  "../../examples/cloudflare_worker.ts",
];

/** How the suite imports the examples it runs; beside it once transpiled. */
const EXAMPLES_IMPORT = /(["'])\.\.\/\.\.\/examples\//g;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  rewriteRelativeImportExtensions: true,
  verbatimModuleSyntax: true,
};

const [outDir] = Deno.args;
if (outDir === undefined || Deno.args.length !== 1) {
  throw new TypeError(`Expected one argument, the output directory; got ${JSON.stringify(Deno.args)}`);
}
for (const name of SMOKE_SOURCES) {
  const source = await Deno.readTextFile(new URL(name, import.meta.url));
  const { outputText, diagnostics = [] } = ts.transpileModule(source, {
    compilerOptions: COMPILER_OPTIONS,
    fileName: name,
    reportDiagnostics: true,
  });
  if (diagnostics.length > 0) {
    const messages = diagnostics.map((diagnostic) =>
      ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    );
    throw new Error(`Cannot transpile tests/runtimes/${name}:\n${messages.join("\n")}`);
  }
  const base = name.slice(name.lastIndexOf("/") + 1, -".ts".length);
  await Deno.writeTextFile(`${outDir}/${base}.js`, outputText.replace(EXAMPLES_IMPORT, "$1./"));
}
