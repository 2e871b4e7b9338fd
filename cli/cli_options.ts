/**
 * What a parsed command line asks for: the transfer's settings, or help, or
 * the version.
 *
 * @module
 */

import type { RedirectPolicy } from "../mod.ts";

/** Where a piece of request data comes from: the argument itself, a file, or stdin (`@-`). */
export type DataSource =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" };

/**
 * One `-d`, `--data-binary` or `--json` argument: curl's encodings.
 * `form` (`-d`) strips CR and LF from files and joins pieces with `&`;
 * `binary` sends bytes as they are; `json` concatenates pieces.
 */
export interface DataPart {
  /** The flag's kind of data. */
  readonly encoding: "form" | "binary" | "json";
  /** Where the bytes come from. */
  readonly source: DataSource;
  /** The flag as written, for messages (`-d`, `--data-binary`, `--json`). */
  readonly flag: string;
}

/** The transports the CLI can use (netreply's built-in ones). */
export type CliTransport = "fetch" | "socket";

/** Everything a transfer command line sets. */
export interface TransferOptions {
  /** The URL as given. */
  readonly url: string;
  /** `-X`: the method; otherwise GET, HEAD with `-I`, POST with data. */
  readonly method?: string;
  /** `-H`: header lines in order, as name and value. */
  readonly headers: readonly (readonly [string, string])[];
  /** `-d`, `--data-binary`, `--json`, in order. */
  readonly data: readonly DataPart[];
  /** `-o`: the file the body goes to; stdout otherwise. */
  readonly output?: string;
  /** The redirect policy: ManualRedirectPolicy unless `-L` or `--redirect-policy`. */
  readonly redirectPolicy: RedirectPolicy;
  /** `--max-redirs`. */
  readonly maxRedirects?: number;
  /** `--timeout`, in milliseconds (netreply's transfer timeout). */
  readonly transferTimeoutMs?: number;
  /** `--cacert`: a PEM file of extra trusted certificates. */
  readonly caCertFile?: string;
  /** `-k`: ignore certificate errors where the transport can. */
  readonly insecure: boolean;
  /** `--transport`; undefined = fetch, or socket with `-k`. */
  readonly transport?: CliTransport;
  /** `--proxy`: a proxy URL; "" = none (direct); undefined = the environment's. */
  readonly proxy?: string;
  /** `-I`: HEAD, and print the response head to the output. */
  readonly headOnly: boolean;
  /** `-v`: signals and headers on stderr. */
  readonly verbose: boolean;
  /** `-s`: no progress meter. */
  readonly silent: boolean;
}

/** A parsed command line. */
export type ParsedCommandLine =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "transfer"; readonly options: TransferOptions };
