/**
 * Records a reply's events in order and matches them against the sequences
 * of docs/signals.md.
 */

import { type NetworkAccessManager, type NetworkReply, REPLY_EVENT_TYPES } from "../../mod.ts";

/** How every successful reply ends (docs/signals.md), as a `matchesSequence` pattern. */
export const OK_TAIL = "downloadProgress readChannelFinished nam:finished finished";
/** How every failed reply ends (docs/signals.md), as a `matchesSequence` pattern. */
export const ERROR_TAIL = "errorOccurred downloadProgress readChannelFinished nam:finished finished";

/** One recorded event: its type and a short detail (progress numbers, code, URL path). */
export interface TraceEntry {
  readonly type: string;
  readonly detail: string;
}

function detailOf(event: Event): string {
  const e = event as Event & Record<string, unknown>;
  if ("bytesReceived" in e) return `${e.bytesReceived},${e.bytesTotal}`;
  if ("bytesSent" in e) return `${e.bytesSent},${e.bytesTotal}`;
  if ("code" in e) return String(e.code);
  if ("url" in e && e.url instanceof URL) return e.url.pathname;
  return "";
}

/** Starts recording; the manager's `finished` is recorded as `nam:finished`. */
export function recordTrace(reply: NetworkReply, nam?: NetworkAccessManager): TraceEntry[] {
  const trace: TraceEntry[] = [];
  for (const type of REPLY_EVENT_TYPES) {
    reply.addEventListener(type, (event: Event) => trace.push({ type, detail: detailOf(event) }));
  }
  nam?.addEventListener("finished", (event) => {
    if (event.reply === reply) trace.push({ type: "nam:finished", detail: "" });
  });
  return trace;
}

/** The trace as `type` or `type(detail)` words. */
export function describe(trace: readonly TraceEntry[]): string {
  return trace.map((e) => e.detail ? `${e.type}(${e.detail})` : e.type).join(" ");
}

/**
 * Whether the event types match `pattern`: space-separated event types, each
 * optionally followed by `?` or `*`; `(a b?)*` groups; `DATA` stands for
 * `(readyRead downloadProgress?)*`.
 */
export function matchesSequence(trace: readonly TraceEntry[], pattern: string): boolean {
  const source = pattern
    .replaceAll("DATA", "(readyRead downloadProgress?)*")
    .replaceAll("(", " ( ")
    .replaceAll(")", " )")
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      if (token === "(") return "(?:";
      if (token.startsWith(")")) return ")" + token.slice(1);
      const quantifier = /[?*]$/.test(token) ? token.at(-1) : "";
      const name = quantifier ? token.slice(0, -1) : token;
      return `(?:${name.replace(":", "\\:")} )${quantifier}`;
    })
    .join("");
  const words = trace.map((e) => e.type + " ").join("");
  return new RegExp(`^${source}$`).test(words);
}
