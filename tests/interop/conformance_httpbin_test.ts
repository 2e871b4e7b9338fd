// The conformance table (tests/conformance/scenarios.ts) against real servers: each row whose
// server behaviour httpbin (or nginx) can produce is translated to a URL there and checked with
// the row's own expectations. A row without a translation is reported as ignored, with why.
import assert from "node:assert/strict";
import { NetworkAccessManager } from "../../mod.ts";
import { assertScenarioOutcome, runScenario } from "../conformance/run_scenario.ts";
import { SCENARIOS } from "../conformance/scenarios.ts";
import { type InteropServers, setupInteropServers } from "./servers.ts";

/** How one row runs on the real servers. */
interface Translation {
  /** Path and query of the request; `{other}` is another origin (nginx's plain port). */
  readonly path: string;
  /** Which server answers: httpbin (default) or nginx's plain listener. */
  readonly server?: "httpbin" | "nginx";
  /** The real server's body differs from the row's scripted one: not compared. */
  readonly ignoreBody?: true;
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
  "transfer timeout on a silent server is TimeoutError": { path: "/delay/3" },
  // One byte, then a second of silence.
  "transfer timeout mid-body is TimeoutError": { path: "/drip?numbytes=2&duration=2&delay=0" },
  "abort() after the first readyRead": { path: "/drip?numbytes=2&duration=2&delay=0" },
  "close() at metaDataChanged": { path: "/get" },
  "abort() right after get(): the whole sequence inside the call": { path: "/get" },
};

const suite = setupInteropServers();

function requestUrl(servers: InteropServers, translation: Translation): URL {
  const base = translation.server === "nginx" ? servers.nginxHttp : servers.httpbin;
  return new URL(translation.path.replace(enc("{other}"), enc(servers.nginxHttp)), base);
}

for (const scenario of SCENARIOS) {
  const translation = TRANSLATIONS[scenario.name];
  if (!translation) {
    Deno.test({
      name: `conformance [httpbin] ${scenario.name} (no equivalent on httpbin/nginx)`,
      ignore: true,
      fn: () => {},
    });
    continue;
  }
  Deno.test({
    name: `conformance [httpbin] ${scenario.name}`,
    ignore: suite.ignore,
    fn: async () => {
      await using nam = new NetworkAccessManager({ proxy: null });
      const outcome = await runScenario(nam, scenario, requestUrl(suite.servers(), translation));
      // Where httpbin cannot serve the row's own body or path, the translation says what to compare.
      const body = assertScenarioOutcome(outcome, {
        ...scenario.expect,
        body: translation.ignoreBody ? undefined : scenario.expect.body,
        path: translation.finalPath ?? scenario.expect.path,
      });
      if (translation.finalMethod !== undefined) {
        const echoed = JSON.parse(body);
        assert.equal(echoed.method, translation.finalMethod);
        assert.equal(echoed.data, translation.finalMethod === "GET" ? "" : scenario.body);
      }
    },
  });
}
