/**
 * The CLI's flags, each with its help line and what it does to the options
 * being built: one table that both the parser and `--help` read.
 *
 * @module
 */

import { RedirectPolicy } from "../mod.ts";
import type { CliTransport, DataPart, DataSource } from "./cli_options.ts";
import { UsageError } from "./cli_error.ts";

/** The options while they are being parsed (every flag fills its part). */
export interface OptionsDraft {
  /** `-h`/`--help` was given. */
  help: boolean;
  /** `--version` was given. */
  version: boolean;
  /** The positional arguments (one URL is expected). */
  urls: string[];
  /** `-X`. */
  method?: string;
  /** `-H`. */
  headers: [string, string][];
  /** `-d`, `--data-binary`, `--json`. */
  data: DataPart[];
  /** `-o`. */
  output?: string;
  /** `-L`. */
  follow: boolean;
  /** `--redirect-policy`. */
  redirectPolicy?: RedirectPolicy;
  /** `--max-redirs`. */
  maxRedirects?: number;
  /** `--timeout`, in milliseconds. */
  transferTimeoutMs?: number;
  /** `--cacert`. */
  caCertFile?: string;
  /** `-k`. */
  insecure: boolean;
  /** `--transport`. */
  transport?: CliTransport;
  /** `--proxy`. */
  proxy?: string;
  /** `-I`. */
  headOnly: boolean;
  /** `-v`. */
  verbose: boolean;
  /** `-s`. */
  silent: boolean;
}

/** One flag of the command line. */
export interface OptionSpec {
  /** The long name, with its dashes (`--output`). */
  readonly long: string;
  /** The short name, with its dash (`-o`), if any. */
  readonly short?: string;
  /** The value's placeholder in the help (`FILE`); absent for a switch. */
  readonly value?: string;
  /** The help line. */
  readonly help: string;
  /**
   * Applies the flag to the draft.
   *
   * @param draft The options being built.
   * @param value The flag's value ("" for a switch).
   * @param flag The flag as written (`-o` or `--output`), for messages.
   * @throws {UsageError} When the value is not acceptable.
   */
  readonly apply: (draft: OptionsDraft, value: string, flag: string) => void;
}

/** The names `--redirect-policy` accepts, as netreply's {@linkcode RedirectPolicy} values. */
const REDIRECT_POLICY_NAMES: Readonly<Record<string, RedirectPolicy>> = {
  "manual": RedirectPolicy.ManualRedirectPolicy,
  "no-less-safe": RedirectPolicy.NoLessSafeRedirectPolicy,
  "same-origin": RedirectPolicy.SameOriginRedirectPolicy,
  "user-verified": RedirectPolicy.UserVerifiedRedirectPolicy,
};

const TRANSPORTS: readonly CliTransport[] = ["fetch", "socket"];

// RFC 9110 token: what a method or a header name may be made of.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function quoted(value: string): string {
  return JSON.stringify(value);
}

function dataSource(value: string): DataSource {
  if (value === "@-") return { kind: "stdin" };
  if (value.startsWith("@")) return { kind: "file", path: value.slice(1) };
  return { kind: "text", text: value };
}

function dataFlag(encoding: DataPart["encoding"]): OptionSpec["apply"] {
  return (draft, value, flag) => {
    if (value === "@") throw new UsageError(`${flag} "@": expected a file name after @ (or @- for stdin)`);
    draft.data.push({ encoding, source: dataSource(value), flag });
  };
}

function header(draft: OptionsDraft, value: string, flag: string): void {
  const colon = value.indexOf(":");
  const name = colon < 0 ? "" : value.slice(0, colon).trim();
  if (colon < 0 || !TOKEN.test(name)) {
    throw new UsageError(
      `${flag} ${quoted(value)}: expected "Name: value" with a header name made of token characters`,
    );
  }
  if (/[\r\n\0]/.test(value)) throw new UsageError(`${flag} ${quoted(value)}: contains CR, LF or NUL`);
  draft.headers.push([name, value.slice(colon + 1).trim()]);
}

function seconds(draft: OptionsDraft, value: string, flag: string): void {
  const parsed = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag} ${quoted(value)}: expected a number of seconds greater than 0`);
  }
  draft.transferTimeoutMs = Math.max(1, Math.round(parsed * 1000));
}

function count(draft: OptionsDraft, value: string, flag: string): void {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} ${quoted(value)}: expected a whole number of redirects (0 or more)`);
  }
  draft.maxRedirects = Number(value);
}

function nonEmpty(value: string, flag: string, what: string): string {
  if (value === "") throw new UsageError(`${flag} "": expected ${what}`);
  return value;
}

/** Every flag, in the order `--help` lists them. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  {
    long: "--output",
    short: "-o",
    value: "FILE",
    help: "write the body to FILE instead of stdout",
    apply: (d, v, f) => d.output = nonEmpty(v, f, "a file name"),
  },
  {
    long: "--request",
    short: "-X",
    value: "METHOD",
    help: "the request method (default GET; POST with data; HEAD with -I)",
    apply: (d, v, f) => {
      if (!TOKEN.test(v)) {
        throw new UsageError(`${f} ${quoted(v)}: expected a method name made of token characters`);
      }
      d.method = v;
    },
  },
  {
    long: "--header",
    short: "-H",
    value: "'NAME: VALUE'",
    help: "add a request header (repeatable)",
    apply: header,
  },
  {
    long: "--data",
    short: "-d",
    value: "DATA",
    help: "send DATA (or @FILE, @- for stdin, CR/LF removed) as application/x-www-form-urlencoded; " +
      "repeated: joined with &",
    apply: dataFlag("form"),
  },
  {
    long: "--data-binary",
    value: "DATA",
    help: "send DATA (or @FILE, @- for stdin) exactly as it is",
    apply: dataFlag("binary"),
  },
  {
    long: "--json",
    value: "DATA",
    help: "send DATA (or @FILE, @-) with Content-Type and Accept application/json",
    apply: dataFlag("json"),
  },
  {
    long: "--location",
    short: "-L",
    help: "follow redirects (policy no-less-safe unless --redirect-policy says otherwise)",
    apply: (d) => d.follow = true,
  },
  {
    long: "--max-redirs",
    value: "N",
    help: "follow at most N redirects (default 50)",
    apply: count,
  },
  {
    long: "--redirect-policy",
    value: "POLICY",
    help: "manual | no-less-safe | same-origin | user-verified (asks on the terminal); " +
      "all but manual follow redirects",
    apply: (d, v, f) => {
      const policy = REDIRECT_POLICY_NAMES[v];
      if (policy === undefined) {
        throw new UsageError(
          `${f} ${quoted(v)}: expected one of ${Object.keys(REDIRECT_POLICY_NAMES).join(", ")}`,
        );
      }
      d.redirectPolicy = policy;
    },
  },
  {
    long: "--timeout",
    value: "SECONDS",
    help: "fail when no data moves for SECONDS (netreply's transfer timeout; fractions allowed)",
    apply: seconds,
  },
  {
    long: "--cacert",
    value: "FILE",
    help: "also trust the PEM certificates in FILE",
    apply: (d, v, f) => d.caCertFile = nonEmpty(v, f, "a PEM file name"),
  },
  {
    long: "--insecure",
    short: "-k",
    help: "ignore certificate errors (socket transport only, which -k selects; on Deno it needs --allow-sys)",
    apply: (d) => d.insecure = true,
  },
  {
    long: "--transport",
    value: "NAME",
    help: "fetch (default) | socket (netreply's HTTP/1.1 engine)",
    apply: (d, v, f) => {
      if (!TRANSPORTS.includes(v as CliTransport)) {
        throw new UsageError(`${f} ${quoted(v)}: expected one of ${TRANSPORTS.join(", ")}`);
      }
      d.transport = v as CliTransport;
    },
  },
  {
    long: "--proxy",
    value: "URL",
    help: 'use this HTTP proxy ("" = none; default: HTTP_PROXY, HTTPS_PROXY, NO_PROXY)',
    apply: (d, v, f) => {
      if (v !== "") {
        const url = URL.parse(v);
        if (url === null) throw new UsageError(`${f} ${quoted(v)}: expected a proxy URL`);
        if (url.protocol !== "http:" && url.protocol !== "https:") {
          throw new UsageError(`${f} ${quoted(v)}: expected an http: or https: proxy URL`);
        }
      }
      d.proxy = v;
    },
  },
  {
    long: "--head",
    short: "-I",
    help: "send HEAD and print the response head instead of a body",
    apply: (d) => d.headOnly = true,
  },
  {
    long: "--verbose",
    short: "-v",
    help: "print every signal (ms since start) and the request and response headers to stderr",
    apply: (d) => d.verbose = true,
  },
  {
    long: "--silent",
    short: "-s",
    help: "no progress meter",
    apply: (d) => d.silent = true,
  },
  {
    long: "--help",
    short: "-h",
    help: "show this help",
    apply: (d) => d.help = true,
  },
  {
    long: "--version",
    help: "show the version",
    apply: (d) => d.version = true,
  },
];
