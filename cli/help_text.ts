/**
 * The text `--help` and `--version` print, built from the option table and
 * the exit-code table so that neither can drift from what the CLI does.
 *
 * @module
 */

import { EXIT_CODE_MEANINGS } from "./exit_codes.ts";
import { OPTION_TABLE, type OptionSpec } from "./option_table.ts";
import { VERSION } from "./version.ts";

// Help lines wrap here, so that an 80- or 100-column terminal shows them whole.
const HELP_WIDTH = 100;

/** Words of `text` on lines of at most `width` columns, the later ones indented by `indent`. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

function flagColumn(spec: OptionSpec): string {
  const names = spec.short ? `${spec.short}, ${spec.long}` : `    ${spec.long}`;
  return spec.value ? `${names} ${spec.value}` : names;
}

/**
 * The `--help` text: usage, every flag, the exit codes.
 *
 * @returns The text, ending with a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "./help_text.ts";
 * assert.match(helpText(), /-o, --output FILE/);
 * assert.match(helpText(), /^ +40 +the server answered 4xx/m);
 * ```
 */
export function helpText(): string {
  const width = Math.max(...OPTION_TABLE.map((spec) => flagColumn(spec).length)) + 2;
  const options = OPTION_TABLE.map((spec) =>
    `  ${flagColumn(spec).padEnd(width)}${wrap(spec.help, width + 2, HELP_WIDTH)}`
  );
  const exitCodes = EXIT_CODE_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
  return [
    "netreply: a curl-like client on netreply (Qt's network access model)",
    "",
    "Usage: deno run -A jsr:@netreply/netreply/cli [options] URL",
    "",
    "Options:",
    ...options,
    "",
    "Without -L or --redirect-policy a 3xx is the answer (as in curl). The progress meter goes to",
    "stderr when the body does not go to a terminal: a bar when stderr is a terminal, plain lines",
    "otherwise; -v shows the signals instead, -s nothing.",
    "",
    "Exit codes:",
    ...exitCodes,
    "",
    "Permissions: --allow-net=HOST:PORT for the URL (and the proxy), --allow-read=FILE for",
    "--cacert and @FILE, --allow-write=FILE for -o, --allow-sys for -k on Deno, --allow-env for the",
    "socket transport to read the proxy variables. A refused one ends with exit code 4, naming the flag.",
    "",
  ].join("\n");
}

/**
 * The `--version` line: netreply's version and the runtime's.
 *
 * @returns E.g. `"netreply 0.1.0 (Deno 2.9.6)\n"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { versionText } from "./help_text.ts";
 * assert.match(versionText(), /^netreply \d+\.\d+\.\d+ \(Deno /);
 * ```
 */
export function versionText(): string {
  return `netreply ${VERSION} (Deno ${Deno.version.deno})\n`;
}
