/**
 * The smoke suite's checks: the client side, runtime-neutral (no `node:*`, no
 * `Deno.*`), run through `new NetworkAccessManager({ proxy: null })` against
 * the routes of smoke_server.ts. Entries: fetch_smoke.ts (Node, Bun) and
 * workerd_smoke.ts (workerd).
 *
 * A check whose outcome legitimately differs on a runtime says so in the
 * table (`differs`: what that runtime gives instead, and why) and checks that
 * outcome there; no check is skipped.
 *
 * @module
 */

import {
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  networkErrorName,
  type NetworkReply,
} from "../../mod.ts";
import { detectRuntime } from "../../src/transport/fetch/runtime.ts";

/** The runtimes the smoke suite runs on. */
export type SmokeRuntime = "node" | "bun" | "workerd";

/** Where the checks run and what they talk to. */
export interface SmokeTarget {
  /** The runtime the checks run on, as the entry knows it. */
  readonly runtime: SmokeRuntime;
  /** `http://127.0.0.1:<port>` of the smoke server. */
  readonly base: string;
  /** A loopback port nothing listens on. */
  readonly closedPort: number;
}

/** The counts of one run. */
export interface SmokeResult {
  /** Checks that passed. */
  readonly passed: number;
  /** Checks that failed or threw. */
  readonly failed: number;
}

interface Check {
  readonly name: string;
  /** Where a runtime legitimately gives another outcome: that outcome and why (checked by `run`). */
  readonly differs?: Partial<Readonly<Record<SmokeRuntime, string>>>;
  /** Resolves to `undefined` when the check passed, else to what was seen instead. */
  readonly run: (target: SmokeTarget) => Promise<string | undefined>;
}

function trace(reply: NetworkReply): string[] {
  const events: string[] = [];
  for (const type of ["requestSent", "metaDataChanged", "redirected", "errorOccurred", "finished"] as const) {
    // A block body: workerd warns about listeners that return a value.
    reply.addEventListener(type, () => {
      events.push(type);
    });
  }
  return events;
}

/** What a reply must end with; `message` and `bodies` only where given. */
interface Outcome {
  readonly code: NetworkError;
  readonly message?: string;
  /** The bodies (as text) that may have been received. */
  readonly bodies?: readonly string[];
}

/** Waits for `reply`: `undefined` if it ended as `expected`, else how it ended. */
async function endsAs(reply: NetworkReply, expected: Outcome): Promise<string | undefined> {
  await reply.done;
  const body = new TextDecoder().decode(reply.readAll());
  const { code, message, bodies } = expected;
  if (
    reply.error() === code && (message === undefined || reply.errorString() === message) &&
    (bodies === undefined || bodies.includes(body))
  ) return undefined;
  return `${networkErrorName(reply.error())}: ${reply.errorString()} / ${JSON.stringify(body)}`;
}

/** Runs `body` with a manager and closes it (Node 20 has no `await using`). */
async function withManager(
  options: NetworkAccessManagerOptions,
  body: (nam: NetworkAccessManager) => Promise<string | undefined>,
): Promise<string | undefined> {
  const nam = new NetworkAccessManager(options);
  try {
    return await body(nam);
  } finally {
    await nam.close();
  }
}

// workerd's fetch rejects a refused connect with a bare `Error("Network connection lost.")`:
// no code, no cause (the OS error only goes to workerd's log), so netreply can only classify
// it by phase (runtime_error_classification.ts, the workerd row).
const refusedOn: Readonly<Record<SmokeRuntime, Outcome>> = {
  node: { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  bun: { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  workerd: { code: NetworkError.UnknownNetworkError, message: "Network connection lost." },
};

// What a body of 100 announced bytes that stops after "abc" delivers. Bun's fetch throws
// ECONNRESET without the bytes that came in the same read as the reset, before the reader
// pulled them (seen with Bun 1.4.5 and a plain fetch + getReader(), netreply aside).
const truncatedOn: Readonly<Record<SmokeRuntime, Outcome>> = {
  node: { code: NetworkError.RemoteHostClosedError, bodies: ["abc"] },
  bun: { code: NetworkError.RemoteHostClosedError, bodies: ["", "abc"] },
  workerd: { code: NetworkError.RemoteHostClosedError, bodies: ["abc"] },
};

const checks: readonly Check[] = [
  {
    name: "the runtime is detected",
    run: ({ runtime }) => Promise.resolve(detectRuntime() === runtime ? undefined : detectRuntime()),
  },
  {
    name: "a redirect is followed with Qt's events",
    run: ({ base }) =>
      withManager({ proxy: null }, async (nam) => {
        const reply = nam.get(`${base}/redirect`);
        const events = trace(reply);
        const text = await reply.text();
        const expected = "requestSent metaDataChanged redirected requestSent metaDataChanged finished";
        if (text !== "final body" || events.join(" ") !== expected) return `${text} / ${events.join(" ")}`;
      }),
  },
  {
    name: "404 is ContentNotFoundError with its body",
    run: ({ base }) =>
      withManager({ proxy: null }, (nam) =>
        endsAs(nam.get(`${base}/missing`), {
          code: NetworkError.ContentNotFoundError,
          bodies: ["no such page"],
        })),
  },
  {
    name: "deflate is decoded",
    run: ({ base }) =>
      withManager({ proxy: null }, async (nam) => {
        const text = await nam.get(`${base}/deflate`).text();
        if (text !== "x".repeat(1000)) return `${text.length} bytes`;
      }),
  },
  {
    name: "a stalled body is TimeoutError",
    run: ({ base }) =>
      withManager(
        { proxy: null, transferTimeout: 200 },
        (nam) => endsAs(nam.get(`${base}/stall`), { code: NetworkError.TimeoutError }),
      ),
  },
  {
    name: "a body cut short is RemoteHostClosedError after its bytes",
    differs: {
      bun: 'RemoteHostClosedError with no bytes, or with "abc": Bun\'s fetch drops bytes that ' +
        "arrived with the reset and were not read yet (raw fetch shows it too)",
    },
    run: ({ runtime, base }) =>
      withManager({ proxy: null }, (nam) => endsAs(nam.get(`${base}/truncated`), truncatedOn[runtime])),
  },
  {
    name: "an AbortSignal aborted mid-body is OperationCanceledError",
    run: ({ base }) =>
      withManager({ proxy: null }, (nam) => {
        const controller = new AbortController();
        const reply = nam.get(`${base}/stall`, { signal: controller.signal });
        reply.addEventListener("metaDataChanged", () => controller.abort());
        return endsAs(reply, { code: NetworkError.OperationCanceledError });
      }),
  },
  {
    name: "a ReadableStream body is streamed",
    run: ({ base }) =>
      withManager({ proxy: null }, async (nam) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("streamed"));
            controller.close();
          },
        });
        const text = await nam.post(`${base}/echo`, body).text();
        if (text !== "streamed") return text;
      }),
  },
  {
    name: "a closed port is ConnectionRefusedError",
    differs: {
      workerd: 'UnknownNetworkError "Network connection lost.": workerd says only that for a refused ' +
        "connect (no code, no cause), so netreply classifies it by phase",
    },
    run: ({ runtime, closedPort }) =>
      withManager(
        { proxy: null },
        (nam) => endsAs(nam.get(`http://127.0.0.1:${closedPort}/`), refusedOn[runtime]),
      ),
  },
];

/**
 * Runs every check in turn, printing one line each (`<label>: <name> ... ok`)
 * and then a Deno-style summary line (`ok | N passed | M failed`) that
 * run_smoke.sh adds up.
 *
 * @param label What the lines start with, e.g. `node 20.20.2`.
 * @param target The runtime, the server and the closed port.
 * @returns How many checks passed and failed.
 * @example
 * ```ts ignore
 * const { failed } = await runSmokeChecks("node", { runtime: "node", base, closedPort });
 * ```
 */
export async function runSmokeChecks(label: string, target: SmokeTarget): Promise<SmokeResult> {
  let passed = 0;
  let failed = 0;
  for (const check of checks) {
    const problem = await check.run(target).catch((error) => `threw ${error}`);
    if (problem === undefined) passed++;
    else failed++;
    const differs = check.differs?.[target.runtime];
    const note = differs === undefined ? "" : ` (on ${target.runtime}: ${differs})`;
    console.log(`${label}: ${check.name}${note} ... ${problem === undefined ? "ok" : `FAILED (${problem})`}`);
  }
  console.log(`${failed === 0 ? "ok" : "FAILED"} | ${passed} passed | ${failed} failed`);
  return { passed, failed };
}
