/**
 * The command line of `deno task cache-tests`: `--suite=DIR` (required), `--transport=fetch|socket|both`
 * (default both), `--id=TEST`.
 *
 * @module
 */

/** The usage line printed with every argument error. */
export const USAGE = "Usage: deno task cache-tests --suite=DIR [--transport=fetch|socket|both] [--id=TEST]";

/** What the command line asks for. */
export interface CacheTestsArguments {
  /** The checkout of github.com/http-tests/cache-tests. */
  readonly suite: string;
  readonly transports: readonly ("fetch" | "socket")[];
  readonly id?: string;
}

/**
 * Reads the command line.
 *
 * @throws {TypeError} Naming the argument that is unknown, missing or malformed.
 */
export function parseArguments(args: readonly string[]): CacheTestsArguments {
  const values = new Map<string, string>();
  for (const arg of args) {
    const match = /^--(suite|transport|id)=(.*)$/.exec(arg);
    if (match === null) throw new TypeError(`Unknown argument ${JSON.stringify(arg)}`);
    if (values.has(match[1])) throw new TypeError(`--${match[1]} is given twice`);
    if (match[2] === "") throw new TypeError(`--${match[1]} needs a value`);
    values.set(match[1], match[2]);
  }
  const suite = values.get("suite");
  if (suite === undefined) {
    throw new TypeError("Missing --suite=DIR (a checkout of https://github.com/http-tests/cache-tests)");
  }
  const transport = values.get("transport") ?? "both";
  if (transport !== "fetch" && transport !== "socket" && transport !== "both") {
    throw new TypeError(`Unknown transport ${JSON.stringify(transport)}: use fetch, socket or both`);
  }
  const id = values.get("id");
  return {
    suite,
    transports: transport === "both" ? ["fetch", "socket"] : [transport],
    ...(id === undefined ? {} : { id }),
  };
}
