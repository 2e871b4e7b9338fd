/**
 * The test definitions of the cache-tests suite (github.com/http-tests/cache-tests), as its
 * `tests/*.mjs` files write them, and the selection a browser run makes. Only the members this
 * runner acts on are typed; a definition may carry more (descriptions, spec anchors).
 *
 * @module
 */

/** A header as a test writes it: name, value (a number is a date offset in seconds), and whether to check it. */
export type HeaderSpec = [name: string, value: string | number, check?: boolean];

/** An expected response header: present, equal to a value, equal to another header, or greater than a number. */
export type ExpectedHeader = string | [string, string | number] | [string, "=" | ">", string | number];

/** One request of a test and what is expected of its response. */
export interface RequestSpec {
  request_method?: string;
  request_headers?: [string, string][];
  request_body?: string;
  query_arg?: string;
  filename?: string;
  cache?: string;
  redirect?: string;
  mode?: string;
  credentials?: string;
  pause_after?: boolean;
  magic_locations?: boolean;
  magic_ims?: boolean;
  rfc850date?: string[];
  response_status?: [number, string];
  response_headers?: HeaderSpec[];
  response_body?: string | null;
  response_pause?: number;
  disconnect?: boolean;
  interim_responses?: unknown[];
  expected_interim_responses?: unknown[];
  check_body?: boolean;
  expected_type?: "cached" | "not_cached" | "etag_validated" | "lm_validated";
  expected_status?: number | null;
  expected_method?: string;
  expected_request_headers?: (string | [string, string])[];
  expected_request_headers_missing?: (string | [string, string])[];
  expected_response_headers?: ExpectedHeader[];
  expected_response_headers_missing?: (string | [string, string])[];
  expected_response_text?: string | null;
  setup?: boolean;
  setup_tests?: string[];
}

/** One test: an id, a kind and its requests. */
export interface TestSpec {
  name: string;
  id: string;
  kind?: "required" | "optimal" | "check";
  requests: RequestSpec[];
  browser_only?: boolean;
  browser_skip?: boolean;
  cdn_only?: boolean;
  depends_on?: string[];
}

/** One suite file: a named group of tests. */
export interface SuiteSpec {
  name: string;
  id: string;
  tests: TestSpec[];
}

/** Whether a browser run selects a test: not `cdn_only`, not `browser_skip` (`browser_only` tests are in). */
export function selectedForBrowser(test: TestSpec): boolean {
  return test.cdn_only !== true && test.browser_skip !== true;
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : value === null ? "null" : typeof value;
}

/**
 * Checks the shape of loaded suites (what `tests/index.mjs` exports): every test needs a string
 * `id` (unique), a `name` and at least one request.
 *
 * @throws {TypeError} Naming the suite or test that is malformed.
 */
export function checkSuites(suites: unknown): SuiteSpec[] {
  if (!Array.isArray(suites)) {
    throw new TypeError(
      `Cannot load the suite: its index must export an array of suites, got ${describe(suites)}`,
    );
  }
  const ids = new Set<string>();
  suites.forEach((suite, i) => {
    if (suite === null || typeof suite !== "object" || !Array.isArray(suite.tests)) {
      throw new TypeError(`Cannot load the suite: suite ${i} has no tests array`);
    }
    for (const test of suite.tests) {
      if (test === null || typeof test !== "object" || typeof test.id !== "string") {
        throw new TypeError(
          `Cannot load the suite: a test of suite ${JSON.stringify(suite.id)} has no string id`,
        );
      }
      if (ids.has(test.id)) {
        throw new TypeError(`Cannot load the suite: duplicate test id ${JSON.stringify(test.id)}`);
      }
      ids.add(test.id);
      if (!Array.isArray(test.requests) || test.requests.length === 0) {
        throw new TypeError(`Cannot load the suite: test ${JSON.stringify(test.id)} has no requests`);
      }
    }
  });
  return suites as SuiteSpec[];
}

/**
 * Loads the suite from a checkout: the default export of `DIR/tests/index.mjs`.
 *
 * @throws {Error} When the index cannot be imported or is malformed.
 */
export async function loadSuites(dir: string): Promise<SuiteSpec[]> {
  const index = new URL(`${dir.replace(/\/+$/, "")}/tests/index.mjs`, `file://${Deno.cwd()}/`);
  let module: { default?: unknown };
  try {
    module = await import(index.href);
  } catch (cause) {
    throw new Error(`Cannot load the suite from ${index.pathname}: ${String(cause)}`, { cause });
  }
  return checkSuites(module.default);
}
