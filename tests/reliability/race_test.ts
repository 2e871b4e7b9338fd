/**
 * Races: on each transport, 5 000 requests cancelled at random moments
 * (seeded) — reply.abort(), an AbortSignal in the request options (plain or
 * with a TimeoutError reason), the manager's close(), or a transferTimeout of
 * a few milliseconds — right after get() (before the connection), after a
 * random delay (during the TLS handshake, mid-head, mid-body), inside a
 * listener of any event, or after finished. Every reply finishes exactly
 * once with NoError (it won the race) or the cancelling code, an abort()
 * before finished ends the reply inside the call, nothing is dispatched after
 * finished, no promise rejection goes unhandled, and the sanitizers find
 * nothing left open.
 */

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  NetworkError,
  networkErrorName,
  type NetworkReply,
  NetworkRequest,
  REPLY_EVENT_TYPES,
} from "../../mod.ts";
import { caCertificate } from "../support/servers.ts";
import { type TransportName, TRANSPORTS } from "./fault_harness.ts";
import { startRaceServers } from "./race_servers.ts";
import { SeededRandom } from "./seeded_random.ts";

const ROUNDS = 50;
const PER_ROUND = 100;
const ROUND_DEADLINE_MS = 30_000;
const SEEDS: Record<TransportName, number> = { fetch: 20261202, socket: 20261203 };

/** How a request is cancelled. */
const WAYS = ["abort", "signal", "signal-timeout", "transferTimeout"] as const;
type Way = typeof WAYS[number];
/** When: right after get(), after a random delay, inside a listener, or after finished. */
type Moment = { kind: "sync" } | { kind: "delay"; ms: number } | { kind: "listener"; type: string } | {
  kind: "after-finish";
};

/** Every reply event, and the manager's finished (dispatched just before the reply's). */
const LISTENED = [
  ...REPLY_EVENT_TYPES.filter((type) => type !== "preSharedKeyAuthenticationRequired"),
  "nam:finished",
];
/** Where a cancel must have landed on a running reply at least once in a run, per transport. */
const MUST_LAND: Record<TransportName, readonly string[]> = {
  fetch: ["sync", "delay", "listener:metaDataChanged", "listener:readyRead", "listener:downloadProgress"],
  socket: [
    "sync",
    "delay",
    "listener:socketStartedConnecting",
    "listener:encrypted",
    "listener:requestSent",
    "listener:metaDataChanged",
    "listener:readyRead",
    "listener:downloadProgress",
  ],
};
const CANCEL_CODE: Record<Way, NetworkError> = {
  abort: NetworkError.OperationCanceledError,
  signal: NetworkError.OperationCanceledError,
  "signal-timeout": NetworkError.TimeoutError,
  transferTimeout: NetworkError.TimeoutError,
};

function pickMoment(random: SeededRandom): Moment {
  const roll = random.integer(10);
  if (roll < 2) return { kind: "sync" };
  if (roll < 6) return { kind: "delay", ms: random.integer(12) };
  if (roll < 9) return { kind: "listener", type: random.pick(LISTENED) };
  return { kind: "after-finish" };
}

/** One request of a round and what was seen of it. */
interface RaceRecord {
  readonly reply: NetworkReply;
  readonly label: string;
  readonly way: Way;
  finished: number;
  afterFinished: string[];
  /** Whether the manager's close() found the reply running. */
  closedWhileRunning: boolean;
  /** The code when finished came: a later abort() must not change it. */
  codeAtFinish?: NetworkError;
  /** Where the cancel landed while the reply ran ("sync", "delay", "listener:<type>"), for coverage. */
  landed?: string;
}

function cancel(record: RaceRecord, controller: AbortController, where: string): void {
  const wasRunning = !record.reply.isFinished();
  if (wasRunning && record.way !== "transferTimeout") record.landed = where;
  if (record.way === "abort") record.reply.abort();
  else if (record.way === "signal") controller.abort();
  else if (record.way === "signal-timeout") controller.abort(new DOMException("deadline", "TimeoutError"));
  else return;
  // abort() and an aborted signal end a running reply inside the call.
  if (wasRunning) assert.ok(record.reply.isFinished(), `${record.label}: still running after ${record.way}`);
}

async function raceRound(
  transport: TransportName,
  targets: readonly URL[],
  random: SeededRandom,
  round: number,
): Promise<RaceRecord[]> {
  const nam = new NetworkAccessManager({ transport, proxy: null });
  const sslConfiguration = { caCertificates: [caCertificate()] };
  const records: RaceRecord[] = [];
  const timers: Promise<void>[] = [];
  const later = (ms: number, run: () => void) =>
    timers.push(new Promise((resolve) => setTimeout(() => (run(), resolve()), ms)));
  for (let i = 0; i < PER_ROUND; i++) {
    const way = random.pick(WAYS);
    const moment = pickMoment(random);
    const url = random.pick(targets);
    const controller = new AbortController();
    const request = new NetworkRequest(url, {
      sslConfiguration: url.protocol === "https:" ? sslConfiguration : undefined,
      transferTimeout: way === "transferTimeout" ? 1 + random.integer(4) : 0,
    });
    const reply = nam.get(request, { signal: controller.signal });
    const record: RaceRecord = {
      reply,
      way,
      label: `${transport} round ${round} #${i} ${url.href} ${way} ${JSON.stringify(moment)}`,
      finished: 0,
      afterFinished: [],
      closedWhileRunning: false,
    };
    records.push(record);
    for (const type of REPLY_EVENT_TYPES) {
      reply.addEventListener(type, () => {
        if (record.finished > 0) record.afterFinished.push(type);
      });
    }
    reply.addEventListener("finished", () => {
      record.finished++;
      record.codeAtFinish = reply.error();
    });
    if (moment.kind === "sync") cancel(record, controller, "sync");
    else if (moment.kind === "delay") later(moment.ms, () => cancel(record, controller, "delay"));
    else if (moment.kind === "listener" && moment.type === "nam:finished") {
      const onFinished = (event: { reply: NetworkReply }) => {
        if (event.reply !== reply) return;
        nam.removeEventListener("finished", onFinished);
        cancel(record, controller, "listener:nam:finished");
      };
      nam.addEventListener("finished", onFinished);
    } else if (moment.kind === "listener") {
      const where = `listener:${moment.type}`;
      reply.addEventListener(moment.type as "finished", () => cancel(record, controller, where), {
        once: true,
      });
    } else void reply.done.then(() => cancel(record, controller, "after-finish"));
  }
  // One round in five ends with the manager's close() at a random moment.
  if (random.integer(5) === 0) {
    later(random.integer(15), () => {
      for (const record of records) record.closedWhileRunning = !record.reply.isFinished();
      void nam.close();
    });
  }
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) =>
    deadline = setTimeout(() => resolve("hung"), ROUND_DEADLINE_MS)
  );
  const ended = await Promise.race([Promise.all(records.map((record) => record.reply.done)), hung]);
  clearTimeout(deadline);
  await nam.close();
  await Promise.all(timers);
  if (ended === "hung") {
    const stuck = records.filter((record) => record.finished === 0).map((record) => record.label);
    assert.fail(
      `${stuck.length} replies had not finished after ${ROUND_DEADLINE_MS} ms: ${stuck.slice(0, 5)}`,
    );
  }
  // Whatever a late timer or listener still did has happened by now.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return records;
}

function checkRecord(record: RaceRecord): void {
  const code = record.reply.error();
  const at = `${record.label}: ${networkErrorName(code)} "${record.reply.errorString()}"`;
  assert.equal(record.finished, 1, `finished ${record.finished} times: ${at}`);
  assert.deepEqual(record.afterFinished, [], `dispatched after finished: ${at}`);
  assert.equal(code, record.codeAtFinish, `the code changed after finished: ${at}`);
  // A cancel that found the reply running decided its code.
  if (record.landed) assert.equal(code, CANCEL_CODE[record.way], at);
  const allowed = new Set([NetworkError.NoError, CANCEL_CODE[record.way]]);
  if (record.closedWhileRunning) allowed.add(NetworkError.OperationCanceledError);
  assert.ok(allowed.has(code), at);
}

for (const transport of TRANSPORTS) {
  Deno.test(`races: ${ROUNDS * PER_ROUND} requests cancelled at random moments (${transport})`, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => {
      event.preventDefault();
      unhandled.push(event.reason);
    };
    globalThis.addEventListener("unhandledrejection", onUnhandled);
    try {
      await using servers = startRaceServers();
      const targets = [servers.slowBody, servers.slowHead, servers.tls];
      const random = new SeededRandom(SEEDS[transport]);
      const outcomes = new Map<string, number>();
      const landed = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const record of await raceRound(transport, targets, random, round)) {
          checkRecord(record);
          const key = networkErrorName(record.reply.error());
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (record.landed) landed.add(record.landed);
        }
      }
      const missed = MUST_LAND[transport].filter((where) => !landed.has(where));
      assert.deepEqual(missed, [], `no cancel landed there on a running reply; landed: ${[...landed]}`);
      // Every kind of ending happened, so the moments really fell on both sides of finished.
      for (const name of ["NoError", "OperationCanceledError", "TimeoutError"]) {
        assert.ok((outcomes.get(name) ?? 0) > 0, `no ${name} among ${JSON.stringify([...outcomes])}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(unhandled, []);
    } finally {
      globalThis.removeEventListener("unhandledrejection", onUnhandled);
    }
  });
}
