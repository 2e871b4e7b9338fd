/**
 * The smoke suite's checks: the client side, runtime-neutral (no `node:*`, no
 * `Deno.*`), run through `new NetworkAccessManager({ transport, proxy: null })`
 * on each transport (`"fetch"`, then `"socket"`) against the routes of
 * smoke_server.ts. It imports netreply by its package name: Deno resolves
 * that to the sources (deno.json), Node and Bun to the npm build installed
 * next to the transpiled suite, and workerd's bundle takes it from there too
 * (run_smoke.sh). Entries: in_process_smoke.ts (Deno, Node, Bun) and
 * workerd_smoke.ts (workerd).
 *
 * A check that only shows something about one transport names it
 * (`transports`); every other check runs on both. A check whose outcome
 * legitimately differs on a runtime and transport says so in the table
 * (`differs`: what that pair gives instead, and why) and checks that outcome
 * there; no check is skipped.
 *
 * @module
 */

import {
  Attribute,
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  networkErrorName,
  type NetworkReply,
  NetworkRequest,
  SslError,
  SslErrorKind,
} from "@netreply/netreply";
import cloudflareWorker from "../../examples/cloudflare_worker.ts";

/** The runtimes the smoke suite runs on. */
export type SmokeRuntime = "deno" | "node" | "bun" | "workerd";

/** The built-in transports the checks run on, in this order. */
export type SmokeTransport = "fetch" | "socket";

const transports: readonly SmokeTransport[] = ["fetch", "socket"];

/** The size of smoke_server.ts's `/large` body, and of the body the upload check sends. */
const LARGE_BODY_SIZE = 256 * 1024;

/** One runtime on one transport, e.g. `"workerd socket"`: the key of a check's `differs`. */
type SmokeVariant = `${SmokeRuntime} ${SmokeTransport}`;

/** Where the checks run and what they talk to. */
export interface SmokeTarget {
  /** The runtime the checks run on, as the entry knows it. */
  readonly runtime: SmokeRuntime;
  /** `http://127.0.0.1:<port>` of the smoke server. */
  readonly base: string;
  /** `https://127.0.0.1:<port>` of the smoke server's TLS side (certificate `localhost.pem`, signed by `ca.pem`). */
  readonly httpsBase: string;
  /** The test CA that signed the TLS side's certificate (PEM, tests/support/certs/ca.pem). */
  readonly caCertificate: string;
  /** `https://127.0.0.1:<port>` of the same routes behind a self-signed certificate (`selfsigned.pem`). */
  readonly selfSignedBase: string;
  /** A loopback port nothing listens on. */
  readonly closedPort: number;
}

/** What one check is given: the target and the transport it runs on. */
interface SmokeContext extends SmokeTarget {
  readonly transport: SmokeTransport;
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
  /** The transports the check says something about; both when absent. */
  readonly transports?: readonly SmokeTransport[];
  /** Where a runtime and transport legitimately give another outcome: that outcome and why (checked by `run`). */
  readonly differs?: Partial<Readonly<Record<SmokeVariant, string>>>;
  /** Resolves to `undefined` when the check passed, else to what was seen instead. */
  readonly run: (context: SmokeContext) => Promise<string | undefined>;
}

const REPLY_EVENTS = [
  "socketStartedConnecting",
  "sslErrors",
  "encrypted",
  "requestSent",
  "metaDataChanged",
  "redirected",
  "errorOccurred",
  "finished",
] as const;

/** Records the reply's events in order; `socketStartedConnecting`, `sslErrors` and `encrypted` only when asked. */
function trace(reply: NetworkReply, { connection = false } = {}): string[] {
  const events: string[] = [];
  const connectionEvents: readonly string[] = ["socketStartedConnecting", "sslErrors", "encrypted"];
  for (const type of REPLY_EVENTS) {
    if (!connection && connectionEvents.includes(type)) continue;
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

/** Runs `body` with a manager on the context's transport and closes it (Node 20 has no `await using`). */
async function withManager(
  { transport }: SmokeContext,
  options: NetworkAccessManagerOptions,
  body: (nam: NetworkAccessManager) => Promise<string | undefined>,
): Promise<string | undefined> {
  const nam = new NetworkAccessManager({ ...options, transport, proxy: null });
  try {
    return await body(nam);
  } finally {
    await nam.close();
  }
}

/**
 * Reads `reply` (a {@linkcode LARGE_BODY_SIZE} body, sent or received): `undefined` if it brought that
 * many bytes and its last `type` event reported (size, size), else the size and every report.
 */
async function endsAtFullProgress(
  reply: NetworkReply,
  type: "downloadProgress" | "uploadProgress",
): Promise<string | undefined> {
  const progress: string[] = [];
  reply.addEventListener(type, (event) => {
    const done = "bytesSent" in event ? event.bytesSent : event.bytesReceived;
    progress.push(`${done}/${event.bytesTotal}`);
  });
  const size = (await reply.bytes()).byteLength;
  if (size !== LARGE_BODY_SIZE || progress.at(-1) !== `${size}/${size}`) {
    return `${size} bytes / ${progress.join(" ")}`;
  }
}

// workerd's fetch rejects a refused connect with a bare `Error("Network connection lost.")`:
// no code, no cause (the OS error only goes to workerd's log), so netreply can only classify
// it by phase (runtime_error_classification.ts, the workerd row). Its sockets reject `opened`
// with one text for every failed connect (refused, unreachable, not allowed, no such host).
const WORKERD_CONNECT_FAILED = "proxy request failed, cannot connect to the specified address";
const refusedOn: Readonly<Record<SmokeVariant, Outcome>> = {
  "deno fetch": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "deno socket": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "node fetch": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "node socket": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "bun fetch": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "bun socket": { code: NetworkError.ConnectionRefusedError, message: "Connection refused" },
  "workerd fetch": { code: NetworkError.UnknownNetworkError, message: "Network connection lost." },
  "workerd socket": { code: NetworkError.UnknownNetworkError, message: WORKERD_CONNECT_FAILED },
};

// What a body of 100 announced bytes that stops after "abc" delivers. Bun's fetch throws
// ECONNRESET without the bytes that came in the same read as the reset, before the reader
// pulled them (seen with Bun 1.4.5 and a plain fetch + getReader(), netreply aside).
function truncatedOn(variant: SmokeVariant): Outcome {
  const bodies = variant === "bun fetch" ? ["", "abc"] : ["abc"];
  return { code: NetworkError.RemoteHostClosedError, bodies };
}

// workerd verifies TLS against its own roots and its config's CAs only, takes no CA per request and
// says nothing about a rejected certificate (workerd_socket_opener.ts).
const WORKERD_NO_CA = "SSL handshake failed: Cloudflare Workers sockets do not support extra CA certificates";
const WORKERD_HANDSHAKE_FAILED = "SSL handshake failed: workerd rejected the server's certificate or the " +
  "handshake (it trusts only its own roots and the trustedCertificates of its network service's tlsOptions, " +
  "and reports the reason only in its log)";

const checks: readonly Check[] = [
  {
    // The example makes its own manager on the default transport.
    name: "examples/cloudflare_worker.ts answers from its upstream, and a refused upstream with 502",
    transports: ["fetch"],
    run: async ({ base, closedPort }) => {
      const request = () => new Request("https://edge.test/users/7");
      const found = await cloudflareWorker.fetch(request(), { UPSTREAM: `${base}/` });
      const user = found.status === 200 ? await found.json() : await found.text();
      const refused = await cloudflareWorker.fetch(request(), {
        UPSTREAM: `http://127.0.0.1:${closedPort}/`,
      });
      await refused.body?.cancel();
      const seen = `${found.status} ${JSON.stringify(user)}, refused ${refused.status}`;
      return seen === '200 {"id":7,"name":"Grace"}, refused 502' ? undefined : seen;
    },
  },
  {
    name: "a GET reports downloadProgress up to (size, size)",
    run: (context) =>
      withManager(
        context,
        {},
        (nam) => endsAtFullProgress(nam.get(`${context.base}/large`), "downloadProgress"),
      ),
  },
  {
    name: "an upload reports uploadProgress up to (size, size)",
    run: (context) =>
      withManager(context, {}, (nam) => {
        const reply = nam.post(`${context.base}/echo`, new Uint8Array(LARGE_BODY_SIZE).fill(120));
        return endsAtFullProgress(reply, "uploadProgress");
      }),
  },
  {
    name: "a redirect is followed with Qt's events",
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const reply = nam.get(`${context.base}/redirect`);
        const events = trace(reply);
        const text = await reply.text();
        const expected = "requestSent metaDataChanged redirected requestSent metaDataChanged finished";
        if (text !== "final body" || events.join(" ") !== expected) return `${text} / ${events.join(" ")}`;
      }),
  },
  {
    name: "404 is ContentNotFoundError with its body",
    run: (context) =>
      withManager(context, {}, (nam) =>
        endsAs(nam.get(`${context.base}/missing`), {
          code: NetworkError.ContentNotFoundError,
          bodies: ["no such page"],
        })),
  },
  {
    name: "deflate is decoded",
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const text = await nam.get(`${context.base}/deflate`).text();
        if (text !== "x".repeat(1000)) return `${text.length} bytes`;
      }),
  },
  {
    name: "a stalled body is TimeoutError",
    run: (context) =>
      withManager(
        context,
        { transferTimeout: 200 },
        (nam) => endsAs(nam.get(`${context.base}/stall`), { code: NetworkError.TimeoutError }),
      ),
  },
  {
    name: "a body cut short is RemoteHostClosedError after its bytes",
    differs: {
      "bun fetch": 'RemoteHostClosedError with no bytes, or with "abc": Bun\'s fetch drops bytes that ' +
        "arrived with the reset and were not read yet (raw fetch shows it too)",
    },
    run: (context) =>
      withManager(
        context,
        {},
        (nam) =>
          endsAs(
            nam.get(`${context.base}/truncated`),
            truncatedOn(`${context.runtime} ${context.transport}`),
          ),
      ),
  },
  {
    name: "an AbortSignal aborted mid-body is OperationCanceledError",
    run: (context) =>
      withManager(context, {}, (nam) => {
        const controller = new AbortController();
        const reply = nam.get(`${context.base}/stall`, { signal: controller.signal });
        reply.addEventListener("metaDataChanged", () => controller.abort());
        return endsAs(reply, { code: NetworkError.OperationCanceledError });
      }),
  },
  {
    name: "a ReadableStream body is streamed",
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("streamed"));
            controller.close();
          },
        });
        const text = await nam.post(`${context.base}/echo`, body).text();
        if (text !== "streamed") return text;
      }),
  },
  {
    name: "a closed port is ConnectionRefusedError",
    differs: {
      "workerd fetch": 'UnknownNetworkError "Network connection lost.": workerd says only that for a ' +
        "refused connect (no code, no cause), so netreply classifies it by phase",
      "workerd socket": `UnknownNetworkError "${WORKERD_CONNECT_FAILED}": the socket's \`opened\` ` +
        "rejects with that text, no code, for any failed connect (refused, unreachable, not allowed)",
    },
    run: (context) =>
      withManager(
        context,
        {},
        (nam) =>
          endsAs(
            nam.get(`http://127.0.0.1:${context.closedPort}/`),
            refusedOn[`${context.runtime} ${context.transport}`],
          ),
      ),
  },
  {
    name: "socketStartedConnecting comes before requestSent",
    transports: ["socket"],
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const reply = nam.get(`${context.base}/hello`);
        const events = trace(reply, { connection: true });
        const text = await reply.text();
        const expected = "socketStartedConnecting requestSent metaDataChanged finished";
        if (text !== "hello" || events.join(" ") !== expected) return `${text} / ${events.join(" ")}`;
      }),
  },
  {
    name: "a second request reuses the kept-alive connection (no socketStartedConnecting)",
    transports: ["socket"],
    run: (context) =>
      withManager(context, {}, async (nam) => {
        await nam.get(`${context.base}/hello`).text();
        const reply = nam.get(`${context.base}/hello`);
        const events = trace(reply, { connection: true });
        const text = await reply.text();
        const expected = "requestSent metaDataChanged finished";
        if (text !== "hello" || events.join(" ") !== expected) return `${text} / ${events.join(" ")}`;
      }),
  },
  {
    name: "HttpReasonPhraseAttribute is the server's own phrase",
    transports: ["socket"],
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const reply = nam.get(`${context.base}/reason`);
        await reply.done;
        const phrase = reply.attribute(Attribute.HttpReasonPhraseAttribute);
        if (phrase !== "Fine Thanks") return JSON.stringify(phrase);
      }),
  },
  {
    name: "https with the test CA from SslConfiguration is encrypted",
    transports: ["socket"],
    differs: {
      "workerd socket": `a request's CA is refused: SslHandshakeFailedError "${WORKERD_NO_CA}"; the same ` +
        "request without it is encrypted, because run_smoke.sh's workerd config trusts the test CA " +
        "(the network service's tlsOptions.trustedCertificates)",
    },
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const url = `${context.httpsBase}/hello`;
        const withCa = new NetworkRequest(url, {
          sslConfiguration: { caCertificates: [context.caCertificate] },
        });
        const refused = context.runtime === "workerd"
          ? await endsAs(nam.get(withCa), {
            code: NetworkError.SslHandshakeFailedError,
            message: WORKERD_NO_CA,
          })
          : undefined;
        if (refused !== undefined) return refused;
        const reply = nam.get(context.runtime === "workerd" ? url : withCa);
        const events = trace(reply, { connection: true });
        const text = await reply.text();
        const encrypted = reply.attribute(Attribute.ConnectionEncryptedAttribute);
        const expected = "socketStartedConnecting encrypted requestSent metaDataChanged finished";
        if (text !== "hello" || encrypted !== true || events.join(" ") !== expected) {
          return `${text} / encrypted ${encrypted} / ${events.join(" ")}`;
        }
      }),
  },
  {
    name: "https to a self-signed certificate: sslErrors shows it and ignoreSslErrors() continues",
    transports: ["socket"],
    differs: {
      "workerd socket": `no sslErrors (workerd shows no certificate, nothing to ignore): ` +
        `SslHandshakeFailedError "${WORKERD_HANDSHAKE_FAILED}"`,
    },
    run: (context) =>
      withManager(context, {}, async (nam) => {
        const reply = nam.get(`${context.selfSignedBase}/hello`);
        const events = trace(reply, { connection: true });
        const seen: string[] = [];
        reply.addEventListener("sslErrors", (event) => {
          for (const error of event.errors) seen.push(`${error.message} (${error.certificate?.subject})`);
          reply.ignoreSslErrors();
        });
        if (context.runtime === "workerd") {
          const problem = await endsAs(reply, {
            code: NetworkError.SslHandshakeFailedError,
            message: WORKERD_HANDSHAKE_FAILED,
          });
          const expected = "socketStartedConnecting errorOccurred finished";
          return problem ?? (events.join(" ") === expected ? undefined : events.join(" "));
        }
        const text = await reply.text();
        const expectedErrors = `${
          new SslError(SslErrorKind.SelfSignedCertificate).message
        } (CN=localhost,O=netreply tests)`;
        const expected = "socketStartedConnecting sslErrors encrypted requestSent metaDataChanged finished";
        if (text !== "hello" || seen.join("; ") !== expectedErrors || events.join(" ") !== expected) {
          return `${text} / ${seen.join("; ")} / ${events.join(" ")} / ${reply.errorString()}`;
        }
      }),
  },
];

function runsOn(check: Check, transport: SmokeTransport): boolean {
  return check.transports === undefined || check.transports.includes(transport);
}

/**
 * Runs every check on the fetch transport, then every check that applies on
 * the socket transport, printing one line each
 * (`<label> <transport>: <name> ... ok`), a count per transport, and then one
 * Deno-style summary line (`ok | N passed | M failed`) that run_smoke.sh adds
 * up.
 *
 * @param label What the lines start with, e.g. `node 20.20.2`.
 * @param target The runtime, the servers, the test CA and the closed port.
 * @returns How many checks passed and failed, over both transports.
 * @example
 * ```ts ignore
 * const { failed } = await runSmokeChecks("node", { runtime: "node", base, httpsBase, caCertificate, selfSignedBase, closedPort });
 * ```
 */
export async function runSmokeChecks(label: string, target: SmokeTarget): Promise<SmokeResult> {
  let passed = 0;
  let failed = 0;
  const counts: string[] = [];
  for (const transport of transports) {
    const context: SmokeContext = { ...target, transport };
    const variant: SmokeVariant = `${target.runtime} ${transport}`;
    let transportPassed = 0;
    let transportFailed = 0;
    for (const check of checks.filter((check) => runsOn(check, transport))) {
      const problem = await check.run(context).catch((error) => `threw ${error}`);
      if (problem === undefined) transportPassed++;
      else transportFailed++;
      const differs = check.differs?.[variant];
      const note = differs === undefined ? "" : ` (on ${variant}: ${differs})`;
      console.log(
        `${label} ${transport}: ${check.name}${note} ... ${
          problem === undefined ? "ok" : `FAILED (${problem})`
        }`,
      );
    }
    counts.push(`${transport} ${transportPassed} passed, ${transportFailed} failed`);
    passed += transportPassed;
    failed += transportFailed;
  }
  console.log(`${label}: ${counts.join("; ")}`);
  console.log(`${failed === 0 ? "ok" : "FAILED"} | ${passed} passed | ${failed} failed`);
  return { passed, failed };
}
