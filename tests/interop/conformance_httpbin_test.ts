// The conformance table (tests/conformance/scenarios.ts) against real servers, on both built-in
// transports: each row's server behaviour is produced by httpbin, by nginx (tests/interop/servers.ts
// configures the locations some rows need) or by a port nobody listens on, and checked with the
// row's own expectations. Every row has a translation.
import assert from "node:assert/strict";
import { defaultErrorString, NetworkError, type NetworkReply } from "../../mod.ts";
import { assertScenarioOutcome, runScenario, type ScenarioOutcome } from "../conformance/run_scenario.ts";
import { type Scenario, SCENARIOS } from "../conformance/scenarios.ts";
import { closedPort } from "../support/servers.ts";
import { type InteropServers, setupInteropServers } from "./servers.ts";
import {
  forEachTransport,
  httpbinReasonPhrase,
  interopManager,
  type InteropTransport,
} from "./transports.ts";

/** How one row runs on the real servers. */
interface Translation {
  /** Path and query of the request; `{other}` is another origin (nginx's plain port). */
  readonly path: string;
  /** Which server answers: httpbin (default), nginx's plain listener, or a closed port. */
  readonly server?: "httpbin" | "nginx" | "refused";
  /** The real server's body differs from the row's scripted one: not compared. */
  readonly ignoreBody?: true;
  /** The body the real server sends instead of the row's scripted one. */
  readonly body?: string;
  /** `url().pathname` at the end, where the row's own path cannot exist on httpbin. */
  readonly finalPath?: string;
  /** The method httpbin's `/anything` echoes at the end (the row's `methods` seen from the server). */
  readonly finalMethod?: string;
}

const enc = encodeURIComponent;
const redirectTo = (url: string, status = 302): string =>
  `/redirect-to?url=${enc(url)}&status_code=${status}`;

/** Rows by name; a row missing here has no equivalent on these servers. */
const TRANSLATIONS: Readonly<Record<string, Translation>> = {
  "GET 200 with a body in chunks": { path: `/base64/${btoa("hello world")}` },
  "GET 204 without a body": { path: "/status/204" },
  // httpbin's error statuses have no body; nginx's 404 page has one.
  "404 delivers its body, then errorOccurred": {
    server: "nginx",
    path: "/static/missing.txt",
    ignoreBody: true,
  },
  "500 is InternalServerError": { path: "/status/500", ignoreBody: true },
  "418 is ProtocolInvalidOperationError": { path: "/status/418" },
  "a 302 chain is followed, one redirected per hop": {
    path: redirectTo(redirectTo(redirectTo(`/base64/${btoa("done")}`, 308), 301), 302),
    finalPath: `/base64/${btoa("done")}`,
  },
  "POST + 301 becomes GET without a body": { path: redirectTo("/anything", 301), finalMethod: "GET" },
  "POST + 307 keeps the method and re-sends the body": {
    path: redirectTo("/anything", 307),
    finalMethod: "POST",
  },
  "maximumRedirectsAllowed 1: the second redirect is TooManyRedirectsError": {
    path: "/redirect/2",
    finalPath: "/relative-redirect/1",
  },
  "a redirect to ftp: is ProtocolUnknownError without redirected": { path: redirectTo("ftp://files.test/x") },
  // httpbin's 302 with its Location field hidden by nginx.
  "a 302 without Location is ProtocolUnknownError": { server: "nginx", path: "/no-location/status/302" },
  "ManualRedirectPolicy: the 3xx is an ordinary reply": {
    path: redirectTo("/elsewhere", 307),
    ignoreBody: true,
  },
  "SameOriginRedirectPolicy refuses another origin": { path: redirectTo("{other}/get") },
  "UserVerifiedRedirectPolicy waits for redirectAllowed()": { path: redirectTo(`/base64/${btoa("yes")}`) },
  "UserVerifiedRedirectPolicy: abort() in redirected keeps the 3xx status": { path: redirectTo("/get", 307) },
  "POST with an empty body: exactly one uploadProgress(0, 0)": { path: "/post" },
  "POST without a body: no uploadProgress": { path: "/post" },
  "PUT with a body: (0, total) then (total, total)": { path: "/status/201" },
  "connection refused": { server: "refused", path: "/" },
  // One byte of two, then nginx gives up on the silent upstream and closes the connection.
  "a body cut short is RemoteHostClosedError after the bytes received": {
    server: "nginx",
    path: "/cut-short/drip?numbytes=2&duration=4&delay=0",
    body: "*",
  },
  "transfer timeout on a silent server is TimeoutError": { path: "/delay/3" },
  // One byte, then a second of silence.
  "transfer timeout mid-body is TimeoutError": { path: "/drip?numbytes=2&duration=2&delay=0" },
  "abort() after the first readyRead": { path: "/drip?numbytes=2&duration=2&delay=0" },
  "close() at metaDataChanged": { path: "/get" },
  "abort() right after get(): the whole sequence inside the call": { path: "/get" },
};

/** An HTTP error's string for the request to `url`, with the phrase the server sent. */
const replied = (url: URL, phrase: string): string => `Error transferring ${url} - server replied: ${phrase}`;

/** What a failed row's `errorString()` is where it is not `defaultErrorString(code)`. */
const ERROR_STRINGS: Readonly<
  Record<string, (url: URL, transport: InteropTransport, servers: InteropServers) => string>
> = {
  // nginx's phrase is the standard one: both transports report the same.
  "404 delivers its body, then errorOccurred": (url) => replied(url, "Not Found"),
  "500 is InternalServerError": (url, transport) =>
    replied(url, httpbinReasonPhrase(transport, "Internal Server Error")),
  "418 is ProtocolInvalidOperationError": (url, transport) =>
    replied(url, httpbinReasonPhrase(transport, "I'm a teapot")),
  "a redirect to ftp: is ProtocolUnknownError without redirected": () => 'Protocol "ftp" is unknown',
  "a 302 without Location is ProtocolUnknownError": () => "Redirect (HTTP 302) without a Location header",
  "SameOriginRedirectPolicy refuses another origin": (url, _, servers) =>
    `Insecure redirect: ${servers.nginxHttp} is not the same origin as ${url.origin}`,
  // fetch cannot tell a closed connection from bad framing (docs/fetch-transport.md).
  "a body cut short is RemoteHostClosedError after the bytes received": (_, transport) =>
    transport === "socket"
      ? defaultErrorString(NetworkError.RemoteHostClosedError)
      : "Connection closed before the end of the body, or the body's framing was invalid " +
        "(the runtime reports both alike)",
};

/** Checks a failed row's error string (the row's code is checked by assertScenarioOutcome). */
function assertErrorString(
  reply: NetworkReply,
  scenario: Scenario,
  context: { url: URL; transport: InteropTransport; servers: InteropServers },
): void {
  if (scenario.expect.error === NetworkError.NoError) return;
  const expected = ERROR_STRINGS[scenario.name]?.(context.url, context.transport, context.servers) ??
    defaultErrorString(scenario.expect.error);
  assert.equal(reply.errorString(), expected);
}

const suite = setupInteropServers();

function requestUrl(servers: InteropServers, translation: Translation): URL {
  const base = translation.server === "refused"
    ? `http://127.0.0.1:${closedPort()}`
    : translation.server === "nginx"
    ? servers.nginxHttp
    : servers.httpbin;
  return new URL(translation.path.replace(enc("{other}"), enc(servers.nginxHttp)), base);
}

/**
 * The row's trace without the connection events, which the table's sequences leave out, after
 * checking them: none on fetch; on the socket transport a `socketStartedConnecting` first (none
 * when the reply was aborted before anything ran), each one opening a hop.
 */
function withoutConnectionEvents(
  outcome: ScenarioOutcome,
  scenario: Scenario,
  transport: InteropTransport,
): ScenarioOutcome {
  const types = outcome.trace.map((entry) => entry.type);
  const connecting = types.flatMap((type, i) => type === "socketStartedConnecting" ? [i] : []);
  if (transport === "fetch" || scenario.act === "abortRightAway") {
    assert.deepEqual(connecting, [], types.join(" "));
  } else {
    assert.equal(connecting[0], 0, types.join(" "));
    for (const i of connecting) {
      assert.match(types[i + 1], /^(?:uploadProgress|requestSent|errorOccurred)$/, types.join(" "));
    }
  }
  return { ...outcome, trace: outcome.trace.filter((entry) => entry.type !== "socketStartedConnecting") };
}

forEachTransport(suite, (transport, test) => {
  for (const scenario of SCENARIOS) {
    const translation = TRANSLATIONS[scenario.name];
    test(`conformance [httpbin] ${scenario.name}`, async () => {
      assert.ok(translation, `No translation for the row "${scenario.name}"`);
      const servers = suite.servers();
      await using nam = interopManager(transport);
      const url = requestUrl(servers, translation);
      const outcome = await runScenario(nam, scenario, url);
      // Where httpbin cannot serve the row's own body or path, the translation says what to compare.
      const body = assertScenarioOutcome(withoutConnectionEvents(outcome, scenario, transport), {
        ...scenario.expect,
        body: translation.ignoreBody ? undefined : translation.body ?? scenario.expect.body,
        path: translation.finalPath ?? scenario.expect.path,
      });
      assertErrorString(outcome.reply, scenario, { url, transport, servers });
      if (translation.finalMethod !== undefined) {
        const echoed = JSON.parse(body);
        assert.equal(echoed.method, translation.finalMethod);
        assert.equal(echoed.data, translation.finalMethod === "GET" ? "" : scenario.body);
      }
    });
  }
});
