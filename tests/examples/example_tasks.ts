/**
 * The five newcomer tasks of examples/: each has a netreply example
 * (`examples/<file>`) and its ky twin (`examples/ky/<file>`).
 *
 * @module
 */

/** One task and the files that do it. */
export interface ExampleTask {
  /** The file name, the same in examples/ and examples/ky/. */
  readonly file: string;
  /** What the task is, as the examples' README table names it. */
  readonly task: string;
}

/** The tasks, in the order of examples/README.md. */
export const EXAMPLE_TASKS: readonly ExampleTask[] = [
  { file: "01_download_progress.ts", task: "Download with a progress bar" },
  { file: "02_post_json.ts", task: "POST JSON, read JSON" },
  { file: "03_redirect_trace.ts", task: "Redirect policy with a hop trace" },
  { file: "04_error_handling.ts", task: "404 / timeout / refused" },
  { file: "05_basic_auth_gzip.ts", task: "Basic auth + gzip JSON" },
];

/** The directory of the netreply examples (`ky/` below it holds the twins). */
export const EXAMPLES_DIR: URL = new URL("../../examples/", import.meta.url);
