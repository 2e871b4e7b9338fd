/**
 * Records a reply's events (and the manager's `finished` for it) in order, and checks them
 * against the sequences of docs/signals.md.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type DownloadProgressEvent,
  type NetworkAccessManager,
  type NetworkReply,
  REPLY_EVENT_TYPES,
} from "../../mod.ts";
import type { InteropTransport } from "./transports.ts";

/** The manager's `finished` for the traced reply, as it appears in a trace. */
export const MANAGER_FINISHED = "nam:finished";

/** Every event of one reply, in dispatch order. */
export interface EventTrace {
  /** The events themselves (the manager's `finished` is recorded under {@linkcode MANAGER_FINISHED}). */
  readonly events: Event[];
  /** Event types in order, e.g. `"requestSent metaDataChanged readyRead ..."`. */
  types(): string;
  /** The events of one type, typed by the caller. */
  ofType<T extends Event>(type: string): T[];
}

/** Starts recording; call right after `nam.get()` (no event is dispatched inside it). */
export function traceReply(nam: NetworkAccessManager, reply: NetworkReply): EventTrace {
  const events: Event[] = [];
  const entries: string[] = [];
  for (const type of REPLY_EVENT_TYPES) {
    reply.addEventListener(type, (event: Event) => {
      events.push(event);
      entries.push(type);
    });
  }
  nam.addEventListener("finished", (event) => {
    if (event.reply !== reply) return;
    events.push(event);
    entries.push(MANAGER_FINISHED);
  });
  return {
    events,
    types: () => entries.join(" "),
    ofType: <T extends Event>(type: string): T[] => events.filter((_, i) => entries[i] === type) as T[],
  };
}

// docs/signals.md, as regular expressions over the space-separated trace.
// The fetch transport dispatches no connection events, but the patterns allow them.
const CONNECTION = "(?:socketStartedConnecting )*(?:sslErrors )?(?:encrypted )?";
const BODY = "(?:readyRead (?:downloadProgress )?)*";
const END = `downloadProgress readChannelFinished ${MANAGER_FINISHED} finished`;
const HOP = `${CONNECTION}(?:uploadProgress )*requestSent metaDataChanged `;
const REDIRECT = `${HOP}redirected `;

/** The sequences a test can expect; `redirects` is the number of followed hops. */
export const Sequence = {
  success: (redirects = 0): RegExp => new RegExp(`^${REDIRECT.repeat(redirects)}${HOP}${BODY}${END}$`),
  httpError: (redirects = 0): RegExp =>
    new RegExp(`^${REDIRECT.repeat(redirects)}${HOP}${BODY}errorOccurred ${END}$`),
  networkError: (): RegExp => new RegExp(`^${CONNECTION}${BODY}errorOccurred ${END}$`),
  /** A redirect the policy refused: the 3xx head, then the error. */
  refusedRedirect: (): RegExp => new RegExp(`^${HOP}errorOccurred ${END}$`),
  /** A network error after the response head arrived (a timeout mid-body, for instance). */
  errorAfterHead: (): RegExp => new RegExp(`^${HOP}${BODY}errorOccurred ${END}$`),
} as const;

/**
 * Asserts the connection events each transport promises (docs/transports.md): fetch
 * dispatches none; the socket transport one `socketStartedConnecting` per new connection, each
 * followed by `encrypted` (before anything is sent on it) when the connection is TLS.
 */
export function assertConnectionEvents(
  trace: EventTrace,
  transport: InteropTransport,
  expected: { readonly connections: number; readonly encrypted: boolean },
): void {
  const connectionEvents = trace.types().split(" ").filter((type) =>
    type === "socketStartedConnecting" || type === "encrypted"
  );
  const perConnection = expected.encrypted
    ? ["socketStartedConnecting", "encrypted"]
    : ["socketStartedConnecting"];
  const connections = transport === "socket" ? expected.connections : 0;
  assert.deepEqual(
    connectionEvents,
    Array.from({ length: connections }, () => perConnection).flat(),
    `Connection events on ${transport}:\n${trace.types()}`,
  );
  if (connections > 0) assert.match(trace.types(), /^socketStartedConnecting /, trace.types());
}

/** Asserts the trace matches `pattern`, showing the whole trace when it does not. */
export function assertSequence(trace: EventTrace, pattern: RegExp): void {
  assert.match(trace.types(), pattern, `Event sequence does not match ${pattern}:\n${trace.types()}`);
}

/**
 * Asserts `downloadProgress` never went backwards and ended with `(total, total)`.
 * `total` is the number of body bytes the reply delivered.
 */
export function assertDownloadProgress(trace: EventTrace, total: number): void {
  const progress = trace.ofType<DownloadProgressEvent>("downloadProgress");
  assert.ok(progress.length > 0, "No downloadProgress event");
  for (let i = 1; i < progress.length; i++) {
    assert.ok(
      progress[i].bytesReceived >= progress[i - 1].bytesReceived,
      `downloadProgress went backwards: ${progress[i - 1].bytesReceived} then ${progress[i].bytesReceived}`,
    );
  }
  const last = progress[progress.length - 1];
  assert.deepEqual([last.bytesReceived, last.bytesTotal], [total, total]);
}
