/**
 * `deno task demo`: a terminal tour of netreply against an embedded server on
 * 127.0.0.1 — a download with a live progress bar, a redirect chain, an HTTP
 * error, a transfer timeout and an abort — using only the public API.
 *
 * Exits with 1 if any step does not behave as documented, so the tour doubles
 * as a smoke test.
 *
 * @module
 */

import {
  Attribute,
  DownloadProgressEvent,
  ErrorOccurredEvent,
  NetworkAccessManager,
  NetworkError,
  networkErrorName,
  type NetworkReply,
  NetworkReplyError,
  NetworkRequest,
  RedirectedEvent,
  REPLY_EVENT_TYPES,
  UploadProgressEvent,
} from "../mod.ts";
import { formatBytes, formatRate, progressLine } from "../cli/progress_bar.ts";
import { startDemoServer } from "./server.ts";

const MiB = 1024 * 1024;
const DOWNLOAD_SIZE = 32 * MiB;
const DOWNLOAD_MS = 2500;

const isTerminal = Deno.stdout.isTerminal();
// Deno.noColor reflects NO_COLOR without needing --allow-env.
const useColor = isTerminal && !Deno.noColor;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const paint = (code: string) => (text: string): string => useColor ? `\x1b[${code}m${text}\x1b[0m` : text;
const bold = paint("1");
const dim = paint("2");
const green = paint("32");
const red = paint("31");
const cyan = paint("36");
const yellow = paint("33");

function say(line = ""): void {
  console.log(line);
}

function heading(n: number, title: string, detail: string): void {
  say();
  say(`${bold(`${n}. ${title}`)}  ${dim(detail)}`);
}

/** Prints a ✔/✘ line; a ✘ makes the demo exit with 1. */
function check(ok: boolean, text: string, expected?: string): void {
  if (ok) {
    say(`   ${green("✔")} ${text}`);
  } else {
    say(`   ${red("✘")} ${text}${expected ? red(` (expected ${expected})`) : ""}`);
    Deno.exitCode = 1;
  }
}

function field(name: string, value: string): void {
  say(`   ${name.padEnd(14)} ${value}`);
}

function errorLabel(code: NetworkError): string {
  return `${code} ${networkErrorName(code)}`;
}

// ---------------------------------------------------------------------------
// Signal traces: every reply event (and the manager's "finished") by name.

const traces = new WeakMap<NetworkReply, string[]>();

/** Starts recording the events of `reply`, with their arguments. */
function trace(reply: NetworkReply): string[] {
  const log: string[] = [];
  traces.set(reply, log);
  for (const type of REPLY_EVENT_TYPES) {
    reply.addEventListener(type, (event: Event) => log.push(describe(type, event)));
  }
  return log;
}

function describe(type: string, event: Event): string {
  if (event instanceof DownloadProgressEvent) return `${type}(${event.bytesReceived}, ${event.bytesTotal})`;
  if (event instanceof UploadProgressEvent) return `${type}(${event.bytesSent}, ${event.bytesTotal})`;
  if (event instanceof ErrorOccurredEvent) return `${type}(${networkErrorName(event.code)})`;
  if (event instanceof RedirectedEvent) return `${type}(${event.url.pathname})`;
  return type;
}

/**
 * A trace on a few lines: runs of body events (readyRead and intermediate
 * downloadProgress) are folded into counts so long transfers stay readable.
 */
function printTrace(log: readonly string[], label = "trace"): void {
  const parts: string[] = [];
  for (let i = 0; i < log.length;) {
    let j = i;
    while (j < log.length && /^(readyRead|downloadProgress)\b/.test(log[j])) j++;
    // Keep the run's last downloadProgress visible: it carries the final numbers.
    const runEnd = j > i && log[j - 1].startsWith("downloadProgress") ? j - 1 : j;
    if (runEnd - i >= 4) {
      const reads = log.slice(i, runEnd).filter((e) => e === "readyRead").length;
      const progress = runEnd - i - reads;
      parts.push(`[readyRead ×${reads}, downloadProgress ×${progress}]`);
      i = runEnd;
    } else {
      parts.push(log[i]);
      i++;
    }
  }
  // Wrap by visible width: colour codes take no columns.
  const width = Math.max(60, Math.min(96, terminalColumns() - 1));
  let line = `   ${label}: `;
  const indent = " ".repeat(line.length);
  let column = line.length;
  for (const part of parts) {
    if (column + part.length > width && column > indent.length) {
      say(line.trimEnd());
      line = indent;
      column = indent.length;
    }
    line += `${part.startsWith("[") ? dim(part) : cyan(part)} `;
    column += part.length + 1;
  }
  say(line.trimEnd());
}

// ---------------------------------------------------------------------------
// 1. A download with a live progress bar.

async function demoDownload(nam: NetworkAccessManager, origin: string): Promise<void> {
  const url = `${origin}/download?size=${DOWNLOAD_SIZE}&ms=${DOWNLOAD_MS}`;
  heading(1, "Download", `GET /download — ${formatBytes(DOWNLOAD_SIZE)} streamed by the server`);
  const started = performance.now();
  const reply = nam.get(url);
  let read = 0;
  // The reply is a read-once buffer: take the bytes as they arrive so they do not pile up.
  reply.addEventListener("readyRead", () => {
    read += reply.readAll().length;
  });

  const barWidth = progressBarWidth();
  let nextMilestone = 0.25;
  // The rate is measured from the first progress event, so connection setup
  // and the first burst do not skew the ETA.
  let first: { at: number; received: number } | undefined;
  reply.addEventListener("downloadProgress", (event) => {
    const now = performance.now();
    first ??= { at: now, received: event.bytesReceived };
    const line = progressLine({
      received: event.bytesReceived,
      total: event.bytesTotal,
      elapsedMs: now - started,
      bytesPerSecond: now > first.at
        ? (event.bytesReceived - first.received) / ((now - first.at) / 1000)
        : NaN,
    }, barWidth);
    if (isTerminal) {
      Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K   ${cyan(line)}`));
    } else if (event.bytesTotal > 0) {
      // Not a terminal: one plain line per quarter instead of a redrawn bar.
      const fraction = event.bytesReceived / event.bytesTotal;
      if (fraction >= nextMilestone) {
        say(`   ${line}`);
        while (nextMilestone <= fraction) nextMilestone += 0.25;
      }
    }
  });

  await reply.done;
  if (isTerminal) say();
  const seconds = (performance.now() - started) / 1000;
  check(
    reply.error() === NetworkError.NoError,
    `finished: error() = ${errorLabel(reply.error())}, status ${
      reply.attribute(Attribute.HttpStatusCodeAttribute)
    }`,
    errorLabel(NetworkError.NoError),
  );
  check(
    read === DOWNLOAD_SIZE,
    `read ${formatBytes(read)} in ${seconds.toFixed(1)} s (${formatRate(read / seconds)})`,
    formatBytes(DOWNLOAD_SIZE),
  );
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 100; // Not a terminal: any sensible width will do.
  }
}

function progressBarWidth(): number {
  // Everything after the bar takes about 52 columns; keep the line on one row.
  return Math.max(10, Math.min(30, terminalColumns() - 3 - 52 - 2));
}

// ---------------------------------------------------------------------------
// 2. A redirect chain.

async function demoRedirects(nam: NetworkAccessManager, origin: string): Promise<void> {
  heading(2, "Redirects", "GET /r/3 → /r/2 → /r/1 → /final (default: NoLessSafeRedirectPolicy)");
  const reply = nam.get(`${origin}/r/3`);
  const log = trace(reply);
  const hops: string[] = [];
  reply.addEventListener("redirected", (event) => {
    // The 3xx's metadata is current while `redirected` is dispatched.
    const status = reply.attribute(Attribute.HttpStatusCodeAttribute);
    say(`   ${yellow("↪")} ${status} → ${event.url.href}`);
    hops.push(event.url.pathname);
  });
  const body = await reply.text();
  check(
    hops.join(" ") === "/r/2 /r/1 /final",
    `${hops.length} redirected events`,
    "/r/2 /r/1 /final",
  );
  check(
    reply.url().pathname === "/final",
    `final url() = ${reply.url().href}, status ${reply.attribute(Attribute.HttpStatusCodeAttribute)}`,
  );
  field("body", JSON.stringify(body.trim()));
  printTrace(log);
}

// ---------------------------------------------------------------------------
// 3. An HTTP error: Qt delivers the error body, then errorOccurred.

async function demoHttpError(nam: NetworkAccessManager, origin: string): Promise<void> {
  heading(3, "HTTP error", "GET /missing — the server answers 404 with a body");
  const reply = nam.get(`${origin}/missing`);
  const log = trace(reply);
  await reply.done;
  field("error()", errorLabel(reply.error()));
  field("errorString()", reply.errorString());
  field(
    "status",
    `${reply.attribute(Attribute.HttpStatusCodeAttribute)} ${
      reply.attribute(Attribute.HttpReasonPhraseAttribute) ?? ""
    }`.trim(),
  );
  field("body", JSON.stringify(decoder.decode(reply.readAll()).trim()));
  check(
    reply.error() === NetworkError.ContentNotFoundError,
    "404 maps to ContentNotFoundError, and the error body stays readable",
    errorLabel(NetworkError.ContentNotFoundError),
  );
  printTrace(log);

  // The promise-style readers reject with a NetworkReplyError carrying the code.
  try {
    await nam.get(`${origin}/missing`).text();
    check(false, "text() resolved", "a NetworkReplyError");
  } catch (error) {
    check(
      error instanceof NetworkReplyError && error.code === NetworkError.ContentNotFoundError,
      `text() rejects: ${
        error instanceof NetworkReplyError ? `NetworkReplyError code ${error.code}` : error
      }`,
      "NetworkReplyError code 203",
    );
  }
}

// ---------------------------------------------------------------------------
// 4. A transfer timeout: the inactivity timer fires while the server is silent.

async function demoTimeout(nam: NetworkAccessManager, origin: string): Promise<void> {
  heading(4, "Transfer timeout", "GET /stall, transferTimeout: 500 — the server goes quiet");
  const started = performance.now();
  const reply = nam.get(new NetworkRequest(`${origin}/stall`, { transferTimeout: 500 }));
  const log = trace(reply);
  let received = "";
  let lastByteAt = started;
  reply.addEventListener("readyRead", () => {
    received += decoder.decode(reply.readAll());
    lastByteAt = performance.now();
  });
  await reply.done;
  const now = performance.now();
  field("received", JSON.stringify(received.trim()));
  field("error()", errorLabel(reply.error()));
  field("errorString()", reply.errorString());
  check(
    reply.error() === NetworkError.TimeoutError,
    `timed out ${((now - lastByteAt) / 1000).toFixed(2)} s after the last byte ` +
      `(${((now - started) / 1000).toFixed(2)} s in all)`,
    errorLabel(NetworkError.TimeoutError),
  );
  printTrace(log);
}

// ---------------------------------------------------------------------------
// 5. An abort half-way through a download, through an AbortSignal.

async function demoAbort(nam: NetworkAccessManager, origin: string): Promise<void> {
  const size = 8 * MiB;
  heading(5, "Abort", `GET /download — ${formatBytes(size)}, aborted half-way through an AbortSignal`);
  const controller = new AbortController();
  const reply = nam.get(`${origin}/download?size=${size}&ms=2000`, { signal: controller.signal });
  const log = trace(reply);
  reply.addEventListener("readyRead", () => reply.readAll());
  let insideAbort: string[] = [];
  let abortedAt = -1;
  reply.addEventListener("downloadProgress", (event) => {
    if (abortedAt >= 0 || event.bytesReceived < size / 2) return;
    abortedAt = event.bytesReceived;
    const before = log.length;
    controller.abort();
    // abort() is synchronous: these events were dispatched inside the call.
    insideAbort = log.slice(before);
  });
  await reply.done;
  field("aborted at", `${formatBytes(abortedAt)} of ${formatBytes(size)}`);
  field("error()", errorLabel(reply.error()));
  field("errorString()", reply.errorString());
  check(
    reply.error() === NetworkError.OperationCanceledError && insideAbort.at(-1) === "finished",
    "controller.abort() finished the reply synchronously, inside the call:",
    `${errorLabel(NetworkError.OperationCanceledError)} and "finished" inside the call`,
  );
  printTrace(insideAbort, "inside");
  printTrace(log);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  await using server = startDemoServer();
  // Declared after the server, so it is disposed first: live replies are aborted
  // and the transport's connections released before the server shuts down.
  await using nam = new NetworkAccessManager();
  nam.addEventListener("finished", (event) => traces.get(event.reply)?.push("manager:finished"));

  say(
    bold("netreply demo") + dim(" — Qt's network access model (QNetworkAccessManager) on Deno"),
  );
  say(dim(`embedded server at ${server.origin} (loopback only); transport: fetch`));

  await demoDownload(nam, server.origin);
  await demoRedirects(nam, server.origin);
  await demoHttpError(nam, server.origin);
  await demoTimeout(nam, server.origin);
  await demoAbort(nam, server.origin);

  say();
  say(
    Deno.exitCode === 1
      ? red("Some steps did not behave as documented (✘ above).")
      : green("All five steps behaved as documented. ") + dim("Run `deno task test` for the full suite."),
  );
}

await main();
