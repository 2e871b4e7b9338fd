/**
 * The command-line parser: curl's spellings (`-o FILE`, `-oFILE`, `--output
 * FILE`, `--output=FILE`, bundled switches like `-sLv`, `--` before a URL
 * that starts with a dash), pure and synchronous.
 *
 * @module
 */

import { RedirectPolicy } from "../mod.ts";
import type { ParsedCommandLine } from "./cli_options.ts";
import { UsageError } from "./cli_error.ts";
import { OPTION_TABLE, type OptionsDraft, type OptionSpec } from "./option_table.ts";

const byName: ReadonlyMap<string, OptionSpec> = new Map(
  OPTION_TABLE.flatMap((spec) => spec.short ? [[spec.long, spec], [spec.short, spec]] : [[spec.long, spec]]),
);

function emptyDraft(): OptionsDraft {
  return {
    help: false,
    version: false,
    urls: [],
    headers: [],
    data: [],
    follow: false,
    insecure: false,
    headOnly: false,
    verbose: false,
    silent: false,
  };
}

function lookup(flag: string): OptionSpec {
  const spec = byName.get(flag);
  if (!spec) throw new UsageError(`Unknown option ${JSON.stringify(flag)} (see --help)`);
  return spec;
}

/**
 * Parses the CLI's arguments (without the program name).
 *
 * @param args The arguments, e.g. `Deno.args`.
 * @returns What to do: show help, show the version, or run a transfer.
 * @throws {UsageError} For an unknown flag, a missing or bad value, or not exactly one URL;
 *   the message names the flag and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseArguments } from "./parse_arguments.ts";
 *
 * const parsed = parseArguments(["-sL", "-o", "page.html", "http://127.0.0.1:8000/"]);
 * assert.equal(parsed.kind, "transfer");
 * if (parsed.kind === "transfer") assert.equal(parsed.options.output, "page.html");
 * ```
 */
export function parseArguments(args: readonly string[]): ParsedCommandLine {
  const draft = emptyDraft();
  let onlyUrls = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const valueAfter = (flag: string): string => {
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value: ${lookup(flag).value}`);
      return args[++i];
    };
    if (onlyUrls || arg === "-" || !arg.startsWith("-")) {
      draft.urls.push(arg);
    } else if (arg === "--") {
      onlyUrls = true;
    } else if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const flag = equals < 0 ? arg : arg.slice(0, equals);
      const spec = lookup(flag);
      if (spec.value === undefined) {
        if (equals >= 0) throw new UsageError(`${flag} takes no value (got ${JSON.stringify(arg)})`);
        spec.apply(draft, "", flag);
      } else {
        spec.apply(draft, equals < 0 ? valueAfter(flag) : arg.slice(equals + 1), flag);
      }
    } else {
      // A bundle of short flags: switches, and at most one flag with a value, which
      // takes the rest of the bundle or the next argument (curl's -oFILE).
      for (let j = 1; j < arg.length; j++) {
        const flag = `-${arg[j]}`;
        const spec = lookup(flag);
        if (spec.value === undefined) {
          spec.apply(draft, "", flag);
          continue;
        }
        const rest = arg.slice(j + 1);
        spec.apply(draft, rest !== "" ? rest : valueAfter(flag), flag);
        break;
      }
    }
  }
  if (draft.help) return { kind: "help" };
  if (draft.version) return { kind: "version" };
  return { kind: "transfer", options: transferOptions(draft) };
}

function transferOptions(draft: OptionsDraft): Extract<ParsedCommandLine, { kind: "transfer" }>["options"] {
  if (draft.urls.length !== 1) {
    throw new UsageError(
      draft.urls.length === 0
        ? "No URL given (see --help)"
        : `Expected one URL, got ${draft.urls.length}: ${draft.urls.map((u) => JSON.stringify(u)).join(" ")}`,
    );
  }
  const url = draft.urls[0];
  if (!URL.canParse(url)) {
    throw new UsageError(
      `URL ${JSON.stringify(url)} is not a valid URL (write it with its scheme: http://…)`,
    );
  }
  const kinds = new Set(draft.data.map((part) => part.encoding === "json" ? "json" : "other"));
  if (kinds.size > 1) throw new UsageError("--json cannot be combined with -d or --data-binary");
  if (draft.headOnly && draft.data.length > 0) {
    throw new UsageError(`-I cannot send data (${draft.data[0].flag} was given)`);
  }
  if (draft.headOnly && draft.method !== undefined && draft.method !== "HEAD") {
    throw new UsageError(`-I sends HEAD, but -X ${JSON.stringify(draft.method)} was given`);
  }
  if (draft.insecure && draft.transport === "fetch") {
    throw new UsageError(
      "-k cannot work with --transport fetch: fetch cannot ignore certificate errors; " +
        "use --transport socket, or run Deno with --unsafely-ignore-certificate-errors=HOST",
    );
  }
  const redirectPolicy = draft.redirectPolicy ??
    (draft.follow ? RedirectPolicy.NoLessSafeRedirectPolicy : RedirectPolicy.ManualRedirectPolicy);
  return {
    url,
    method: draft.method,
    headers: draft.headers,
    data: draft.data,
    output: draft.output,
    redirectPolicy,
    maxRedirects: draft.maxRedirects,
    transferTimeoutMs: draft.transferTimeoutMs,
    caCertFile: draft.caCertFile,
    insecure: draft.insecure,
    transport: draft.transport ?? (draft.insecure ? "socket" : undefined),
    proxy: draft.proxy,
    headOnly: draft.headOnly,
    verbose: draft.verbose,
    silent: draft.silent,
  };
}
