/**
 * Builds the npm package into `dist/npm/`: every entry point in deno.json's
 * `exports` but the Deno-only ones (`DENO_ONLY_EXPORTS` in
 * tools/npm_package.ts) and the sources they import, compiled by the TypeScript compiler
 * (pinned in deno.json's imports) to ES modules (`.js`) with declarations
 * (`.d.ts`), relative `.ts` imports rewritten to `.js`
 * (`rewriteRelativeImportExtensions` in modules, a declaration transform in
 * `.d.ts` files, where the compiler keeps them as written); then package.json
 * (tools/npm_package.ts), README.md, LICENSE, SECURITY.md and docs/ (the
 * README's links point into docs/).
 *
 * The sources are type-checked by `deno check` (Deno's own TypeScript, with
 * the Deno, Node and web types they are written against); here the compiler
 * only emits (`noCheck`). The build fails on any diagnostic it reports and on
 * any `.ts` import left in the output.
 *
 * Run: `deno task build:npm` from the repository root.
 *
 * @module
 */

import ts from "typescript";
import { npmPackageJson } from "./npm_package.ts";

const OUT_DIR = "dist/npm";
/** Copied as they are. */
const PACKAGE_FILES = ["README.md", "LICENSE", "SECURITY.md"];
/** Copied with their Markdown files. */
const PACKAGE_DIRS = ["docs"];

/** Compiler options: ES2022 for Node 20 and the edge, ESM, declarations, no type check. */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts", "lib.esnext.disposable.d.ts"],
  rootDir: ".",
  outDir: OUT_DIR,
  declaration: true,
  allowImportingTsExtensions: true,
  rewriteRelativeImportExtensions: true,
  noCheck: true,
  strict: true,
  skipLibCheck: true,
  removeComments: false,
  newLine: ts.NewLineKind.LineFeed,
};

/** Whether `specifier` is a relative import of a TypeScript source (`./x.ts`, not `./x.d.ts`). */
function isRelativeSource(specifier: string): boolean {
  return /^\.{1,2}\//.test(specifier) && specifier.endsWith(".ts") && !specifier.endsWith(".d.ts");
}

/** Rewrites `./x.ts` to `./x.js` in the import, export and `import("…")` type specifiers of declarations. */
const rewriteDeclarationSpecifiers: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const { factory } = context;
  const rewritten = <T extends ts.Expression>(specifier: T): T | ts.StringLiteral =>
    ts.isStringLiteral(specifier) && isRelativeSource(specifier.text)
      ? factory.createStringLiteral(`${specifier.text.slice(0, -".ts".length)}.js`)
      : specifier;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      return factory.updateImportDeclaration(
        node,
        node.modifiers,
        node.importClause,
        rewritten(node.moduleSpecifier),
        node.attributes,
      );
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      return factory.updateExportDeclaration(
        node,
        node.modifiers,
        node.isTypeOnly,
        node.exportClause,
        rewritten(node.moduleSpecifier),
        node.attributes,
      );
    }
    if (
      ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      return factory.updateImportTypeNode(
        ts.visitEachChild(node, visit, context),
        factory.updateLiteralTypeNode(node.argument, rewritten(node.argument.literal)),
        node.attributes,
        node.qualifier,
        node.typeArguments,
        node.isTypeOf,
      );
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file) => ts.isSourceFile(file) ? ts.visitEachChild(file, visit, context) : file;
};

/** The relative `.ts` specifiers a compiled file still imports (static, dynamic and in types). */
function leftoverSourceImports(fileName: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    let specifier: ts.Node | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      specifier = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      specifier = node.argument.literal;
    }
    if (specifier !== undefined && ts.isStringLiteral(specifier) && isRelativeSource(specifier.text)) {
      found.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest));
  return found;
}

async function main(): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile("deno.json"));
  const packageJson = npmPackageJson(config);
  const entryPoints = Object.values(packageJson.exports).map((entry) =>
    `${entry.default.slice(0, -".js".length)}.ts`
  );

  await Deno.remove(OUT_DIR, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });

  const program = ts.createProgram(entryPoints, COMPILER_OPTIONS);
  const emitted: string[] = [];
  const result = program.emit(
    undefined,
    (fileName, text) => {
      Deno.mkdirSync(fileName.slice(0, fileName.lastIndexOf("/")), { recursive: true });
      Deno.writeTextFileSync(fileName, text);
      emitted.push(fileName);
    },
    undefined,
    false,
    { afterDeclarations: [rewriteDeclarationSpecifiers] },
  );
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...result.diagnostics,
  ];
  if (diagnostics.length > 0) {
    throw new Error(`The TypeScript compiler reported:\n${
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => Deno.cwd(),
        getNewLine: () => "\n",
      })
    }`);
  }
  const leftovers = emitted.flatMap((file) =>
    leftoverSourceImports(file, Deno.readTextFileSync(file)).map((specifier) =>
      `${file} imports ${specifier}`
    )
  );
  if (leftovers.length > 0) {
    throw new Error(`Relative .ts imports were left in the build:\n${leftovers.join("\n")}`);
  }
  for (const entry of Object.values(packageJson.exports)) {
    for (const file of [entry.types, entry.default]) {
      if (!emitted.some((path) => path.endsWith(file.slice(1)))) {
        throw new Error(`The build has no ${file} for an entry point in deno.json's "exports"`);
      }
    }
  }

  await Deno.writeTextFile(`${OUT_DIR}/package.json`, `${JSON.stringify(packageJson, null, 2)}\n`);
  for (const file of PACKAGE_FILES) await Deno.copyFile(file, `${OUT_DIR}/${file}`);
  for (const dir of PACKAGE_DIRS) {
    await Deno.mkdir(`${OUT_DIR}/${dir}`, { recursive: true });
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".md")) {
        await Deno.copyFile(`${dir}/${entry.name}`, `${OUT_DIR}/${dir}/${entry.name}`);
      }
    }
  }
  console.log(`${OUT_DIR}: ${packageJson.name}@${packageJson.version}, ${emitted.length} compiled files`);
}

await main();
