/**
 * Reads `--name=value` flags from a script's arguments.
 *
 * @module
 */

/**
 * The value of `--name=value` in `args`.
 *
 * @param args The arguments (e.g. `Deno.args`).
 * @param name The flag name without dashes.
 * @returns The value, or `undefined` when absent.
 */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The value of a required `--name=value` flag.
 *
 * @param args The arguments.
 * @param name The flag name without dashes.
 * @returns The value.
 * @throws If the flag is missing.
 */
export function requiredFlag(args: readonly string[], name: string): string {
  const value = flagValue(args, name);
  if (value === undefined) throw new Error(`Missing --${name}=...`);
  return value;
}

/**
 * The `--name=value` flags of `args` named in `names`, as given: what a script
 * passes on to the fresh process it runs.
 *
 * @param args The arguments (e.g. `Deno.args`).
 * @param names The flag names without dashes.
 * @returns The flags that are present, in the order of `names`.
 */
export function passedFlags(args: readonly string[], names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const value = flagValue(args, name);
    return value === undefined ? [] : [`--${name}=${value}`];
  });
}
