import assert from "node:assert/strict";
import { RedirectPolicy } from "../../mod.ts";
import type { TransferOptions } from "../../cli/cli_options.ts";
import { UsageError } from "../../cli/cli_error.ts";
import { parseArguments } from "../../cli/parse_arguments.ts";

const URL_ARG = "http://127.0.0.1:8000/x";

function transfer(args: string[]): TransferOptions {
  const parsed = parseArguments(args);
  assert.equal(parsed.kind, "transfer");
  return (parsed as Extract<typeof parsed, { kind: "transfer" }>).options;
}

Deno.test("parseArguments: no flags is a GET-shaped transfer that does not follow redirects", () => {
  assert.deepEqual(transfer([URL_ARG]), {
    url: URL_ARG,
    method: undefined,
    headers: [],
    data: [],
    output: undefined,
    redirectPolicy: RedirectPolicy.ManualRedirectPolicy,
    maxRedirects: undefined,
    transferTimeoutMs: undefined,
    caCertFile: undefined,
    insecure: false,
    transport: undefined,
    proxy: undefined,
    headOnly: false,
    verbose: false,
    silent: false,
  });
});

Deno.test("parseArguments: every flag in its short, long, --flag=value and attached spellings", () => {
  const cases: [string[], Partial<TransferOptions>][] = [
    [["-o", "out.bin"], { output: "out.bin" }],
    [["-oout.bin"], { output: "out.bin" }],
    [["--output", "out.bin"], { output: "out.bin" }],
    [["--output=out.bin"], { output: "out.bin" }],
    [["-X", "PATCH"], { method: "PATCH" }],
    [["--request=DELETE"], { method: "DELETE" }],
    [["-H", "Accept: text/plain", "-H", "X-Empty:"], {
      headers: [["Accept", "text/plain"], ["X-Empty", ""]],
    }],
    [["-H", "X-Colons: a:b:c"], { headers: [["X-Colons", "a:b:c"]] }],
    [["-d", "a=1"], { data: [{ encoding: "form", source: { kind: "text", text: "a=1" }, flag: "-d" }] }],
    [["--data", "@body.txt"], {
      data: [{ encoding: "form", source: { kind: "file", path: "body.txt" }, flag: "--data" }],
    }],
    [["--data-binary", "@-"], {
      data: [{ encoding: "binary", source: { kind: "stdin" }, flag: "--data-binary" }],
    }],
    [["--json", '{"a":1}'], {
      data: [{ encoding: "json", source: { kind: "text", text: '{"a":1}' }, flag: "--json" }],
    }],
    [["-L"], { redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy }],
    [["--location"], { redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy }],
    [["--redirect-policy", "same-origin"], { redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy }],
    [["-L", "--redirect-policy=manual"], { redirectPolicy: RedirectPolicy.ManualRedirectPolicy }],
    [["--redirect-policy", "user-verified"], { redirectPolicy: RedirectPolicy.UserVerifiedRedirectPolicy }],
    [["--redirect-policy", "no-less-safe"], { redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy }],
    [["--max-redirs", "3"], { maxRedirects: 3 }],
    [["--max-redirs=0"], { maxRedirects: 0 }],
    [["--timeout", "2"], { transferTimeoutMs: 2000 }],
    [["--timeout", "0.25"], { transferTimeoutMs: 250 }],
    [["--cacert", "ca.pem"], { caCertFile: "ca.pem" }],
    [["-k"], { insecure: true, transport: "socket" }],
    [["--insecure", "--transport", "socket"], { insecure: true, transport: "socket" }],
    [["--transport", "fetch"], { transport: "fetch" }],
    [["--transport=socket"], { transport: "socket" }],
    [["--proxy", "http://127.0.0.1:3128"], { proxy: "http://127.0.0.1:3128" }],
    [["--proxy", ""], { proxy: "" }],
    [["-I"], { headOnly: true }],
    [["--head", "-X", "HEAD"], { headOnly: true, method: "HEAD" }],
    [["-v"], { verbose: true }],
    [["-s"], { silent: true }],
    [["-sLv"], { silent: true, verbose: true, redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy }],
    [["-sLo", "f"], { silent: true, output: "f", redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy }],
  ];
  for (const [flags, expected] of cases) {
    const options = transfer([...flags, URL_ARG]);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(options[key as keyof TransferOptions], value, `${flags.join(" ")}: ${key}`);
    }
  }
});

Deno.test("parseArguments: the URL may come first, and -- lets it start with a dash", () => {
  assert.equal(transfer([URL_ARG, "-o", "f"]).output, "f");
  assert.throws(() => parseArguments(["--", "-x"]), {
    message: 'URL "-x" is not a valid URL (write it with its scheme: http://…)',
  });
});

Deno.test("parseArguments: --help and --version win over everything else", () => {
  assert.deepEqual(parseArguments(["-h"]), { kind: "help" });
  assert.deepEqual(parseArguments(["--help", "--timeout", "1"]), { kind: "help" });
  assert.deepEqual(parseArguments(["--version"]), { kind: "version" });
});

Deno.test("parseArguments: bad arguments are UsageErrors naming the flag and the value", () => {
  const cases: [string[], string][] = [
    [[], "No URL given (see --help)"],
    [[URL_ARG, "http://b/"], `Expected one URL, got 2: "${URL_ARG}" "http://b/"`],
    [["127.0.0.1:8000"], 'URL "127.0.0.1:8000" is not a valid URL (write it with its scheme: http://…)'],
    [["--frobnicate", URL_ARG], 'Unknown option "--frobnicate" (see --help)'],
    [["-Z", URL_ARG], 'Unknown option "-Z" (see --help)'],
    [[URL_ARG, "-o"], "-o needs a value: FILE"],
    [[URL_ARG, "--timeout"], "--timeout needs a value: SECONDS"],
    [["-o", "", URL_ARG], '-o "": expected a file name'],
    [["--timeout", "soon", URL_ARG], '--timeout "soon": expected a number of seconds greater than 0'],
    [["--timeout", "0", URL_ARG], '--timeout "0": expected a number of seconds greater than 0'],
    [["--timeout", "-1", URL_ARG], '--timeout "-1": expected a number of seconds greater than 0'],
    [["--timeout", "", URL_ARG], '--timeout "": expected a number of seconds greater than 0'],
    [["--max-redirs", "-1", URL_ARG], '--max-redirs "-1": expected a whole number of redirects (0 or more)'],
    [
      ["--max-redirs", "2.5", URL_ARG],
      '--max-redirs "2.5": expected a whole number of redirects (0 or more)',
    ],
    [
      ["--redirect-policy", "always", URL_ARG],
      '--redirect-policy "always": expected one of manual, no-less-safe, same-origin, user-verified',
    ],
    [["--transport", "http3", URL_ARG], '--transport "http3": expected one of fetch, socket'],
    [["-X", "GET /", URL_ARG], '-X "GET /": expected a method name made of token characters'],
    [
      ["-H", "NoColon", URL_ARG],
      '-H "NoColon": expected "Name: value" with a header name made of token characters',
    ],
    [
      ["--header", "Bad Name: x", URL_ARG],
      '--header "Bad Name: x": expected "Name: value" with a header name made of token characters',
    ],
    [["-H", "X: a\r\nInjected: 1", URL_ARG], '-H "X: a\\r\\nInjected: 1": contains CR, LF or NUL'],
    [["-d", "@", URL_ARG], '-d "@": expected a file name after @ (or @- for stdin)'],
    [["--proxy", "not a url", URL_ARG], '--proxy "not a url": expected a proxy URL'],
    [
      ["--proxy", "socks5://127.0.0.1:1080", URL_ARG],
      '--proxy "socks5://127.0.0.1:1080": expected an http: or https: proxy URL',
    ],
    [["--cacert", "", URL_ARG], '--cacert "": expected a PEM file name'],
    [["--verbose=yes", URL_ARG], '--verbose takes no value (got "--verbose=yes")'],
    [["--json", "{}", "-d", "a", URL_ARG], "--json cannot be combined with -d or --data-binary"],
    [["-I", "-d", "a", URL_ARG], "-I cannot send data (-d was given)"],
    [["-I", "-X", "GET", URL_ARG], '-I sends HEAD, but -X "GET" was given'],
    [
      ["-k", "--transport", "fetch", URL_ARG],
      "-k cannot work with --transport fetch: fetch cannot ignore certificate errors; " +
      "use --transport socket, or run Deno with --unsafely-ignore-certificate-errors=HOST",
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseArguments(args), (error: unknown) => {
      assert.ok(error instanceof UsageError, `${JSON.stringify(args)}: ${error}`);
      assert.equal(error.message, message, JSON.stringify(args));
      assert.equal(error.exitCode, 2);
      return true;
    });
  }
});
