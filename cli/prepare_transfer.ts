/**
 * Prepares a transfer from parsed options: reads what the flags name
 * (`--cacert`, `@file`), builds the manager and the request, picks the
 * method, and wires `-k` and the user-verified redirect question.
 *
 * @module
 */

import {
  HttpHeaders,
  NetworkAccessManager,
  type NetworkReply,
  NetworkRequest,
  RedirectPolicy,
  type SslConfiguration,
} from "../mod.ts";
import type { TransferOptions } from "./cli_options.ts";
import { UsageError } from "./cli_error.ts";
import { readLocalFile, readStdin } from "./local_files.ts";
import { requestData } from "./request_data.ts";
import type { TextSink } from "./text_sink.ts";

/** A transfer ready to start: files read, manager and request built. */
export interface Transfer extends AsyncDisposable {
  /** The request. */
  readonly request: NetworkRequest;
  /** The method to send. */
  readonly method: string;
  /**
   * Sends the request. The reply dispatches nothing before the caller's code
   * returns to the event loop, so listeners added right away see every signal.
   */
  start(): NetworkReply;
  /** The redirect the user refused (or could not be asked about), if any. */
  refusedRedirect(): URL | undefined;
}

/** The method the options send: `-X`, else HEAD with `-I`, POST with data, GET. */
function methodOf(options: TransferOptions): string {
  if (options.method !== undefined) return options.method;
  if (options.headOnly) return "HEAD";
  return options.data.length > 0 ? "POST" : "GET";
}

async function sslConfiguration(options: TransferOptions): Promise<SslConfiguration | undefined> {
  if (options.caCertFile === undefined) return undefined;
  const pem = new TextDecoder().decode(await readLocalFile(options.caCertFile, "--cacert"));
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new UsageError(`--cacert ${JSON.stringify(options.caCertFile)}: the file holds no PEM certificate`);
  }
  return { caCertificates: [pem] };
}

async function askOnTerminal(sink: TextSink, question: string): Promise<boolean> {
  sink.write(question);
  const buffer = new Uint8Array(256);
  const n = await Deno.stdin.read(buffer);
  const answer = n === null ? "" : new TextDecoder().decode(buffer.subarray(0, n)).trim();
  return /^y(es)?$/i.test(answer);
}

/**
 * Prepares the transfer the options describe.
 *
 * @param options The parsed options.
 * @param stderr Where questions and warnings go.
 * @returns The transfer, ready to start; `await using` it to close its manager.
 * @throws {CliError} When a file the flags name cannot be read, or a header is refused.
 *
 * @example
 * ```ts ignore
 * import { parseArguments } from "./parse_arguments.ts";
 * import { prepareTransfer } from "./prepare_transfer.ts";
 * import { stderrSink } from "./text_sink.ts";
 *
 * const parsed = parseArguments(["http://127.0.0.1:8000/"]);
 * if (parsed.kind === "transfer") {
 *   await using transfer = await prepareTransfer(parsed.options, stderrSink());
 *   console.log(await transfer.start().text());
 * }
 * ```
 */
export async function prepareTransfer(options: TransferOptions, stderr: TextSink): Promise<Transfer> {
  const ssl = await sslConfiguration(options);
  const data = await requestData(
    options.data,
    (source, flag) => source.kind === "stdin" ? readStdin() : readLocalFile(source.path, flag),
  );
  const headers = new HttpHeaders();
  const given = new Set(options.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of data?.headers ?? []) if (!given.has(name)) headers.append(name, value);
  let request: NetworkRequest;
  try {
    for (const [name, value] of options.headers) headers.append(name, value);
    request = new NetworkRequest(options.url, {
      headers,
      maximumRedirectsAllowed: options.maxRedirects,
      sslConfiguration: ssl,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const manager = new NetworkAccessManager({
    transport: options.transport ?? "fetch",
    redirectPolicy: options.redirectPolicy,
    transferTimeout: options.transferTimeoutMs ?? 0,
    proxy: options.proxy === "" ? null : options.proxy,
  });
  const method = methodOf(options);
  let refused: URL | undefined;
  const start = (): NetworkReply => {
    // HEAD carries no body (-X HEAD -d x drops the data); sendCustomRequest() sends any other method
    // as its standard operation when it has one.
    const reply = method === "HEAD"
      ? manager.head(request)
      : manager.sendCustomRequest(request, method, data?.body);
    if (options.insecure) reply.addEventListener("sslErrors", () => reply.ignoreSslErrors());
    if (options.redirectPolicy === RedirectPolicy.UserVerifiedRedirectPolicy) {
      reply.addEventListener("redirected", async (event) => {
        const interactive = stderr.isTerminal && Deno.stdin.isTerminal();
        if (interactive && await askOnTerminal(stderr, `Follow the redirect to ${event.url.href}? [y/N] `)) {
          reply.redirectAllowed();
          return;
        }
        stderr.write(
          `netreply: not following the redirect to ${event.url.href}${
            interactive
              ? "\n"
              : ": --redirect-policy user-verified asks on a terminal, and stdin or stderr is not one\n"
          }`,
        );
        refused = event.url;
        reply.abort();
      });
    }
    return reply;
  };
  return {
    request,
    method,
    start,
    refusedRedirect: () => refused,
    [Symbol.asyncDispose]: () => manager.close(),
  };
}
