/**
 * The conformance table: each row is a server behaviour, a request and the
 * Qt event sequence, error and body the reply must show. Written once and
 * run by every transport harness (mock, fetch; socket later). A row a
 * transport cannot honour names that transport in `differs`, with the reason
 * and what it shows instead: never silently skipped.
 */

import { NetworkError, RedirectPolicy } from "../../mod.ts";
import { ERROR_TAIL, OK_TAIL } from "./trace.ts";

/** A response a harness serves for one path. */
export interface ServedResponse {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: readonly (readonly [string, string])[];
  /** Body pieces, each sent separately; `{other}` in a header becomes the other origin's base URL. */
  readonly chunks?: readonly string[];
  /**
   * `complete` (default): the body ends; `truncated`: the connection closes
   * before the declared length; `stall`: nothing more is sent.
   */
  readonly ending?: "complete" | "truncated" | "stall";
}

/** What a path does: answer, refuse the connection, or never answer. */
export type Served = ServedResponse | { readonly refused: true } | { readonly silent: true };

/** What the test does to the reply while it runs. */
export type Act =
  | "abortOnFirstReadyRead"
  | "closeOnMetaDataChanged"
  | "abortRightAway"
  | "allowRedirect"
  | "abortOnRedirected";

/** One row of the table. */
export interface Scenario {
  readonly name: string;
  readonly routes: Readonly<Record<string, Served>>;
  readonly path?: string;
  readonly method?: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** A body; `null` means `post(request, null)`. */
  readonly body?: string | null;
  readonly redirectPolicy?: RedirectPolicy;
  readonly maximumRedirectsAllowed?: number;
  readonly transferTimeout?: number;
  readonly act?: Act;
  readonly expect: {
    /** See `matchesSequence` in trace.ts. */
    readonly sequence: string;
    readonly error: NetworkError;
    /** What `readAll()` gives after `finished`. */
    readonly body?: string;
    /** `url().pathname` at the end. */
    readonly path?: string;
    readonly status?: number;
    /** Methods the server saw, in order. */
    readonly methods?: readonly string[];
    /** Details of the uploadProgress events, e.g. ["0,5", "5,5"]. */
    readonly uploads?: readonly string[];
  };
}

const redirectTo = (location: string, status = 302): ServedResponse => ({
  status,
  headers: [["location", location]],
  chunks: ["moved"],
});

/** The table. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "GET 200 with a body in chunks",
    routes: { "/": { status: 200, chunks: ["hello ", "world"] } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      body: "hello world",
      status: 200,
    },
  },
  {
    name: "GET 204 without a body",
    routes: { "/": { status: 204 } },
    expect: {
      sequence: `requestSent metaDataChanged ${OK_TAIL}`,
      error: NetworkError.NoError,
      body: "",
      status: 204,
    },
  },
  {
    name: "404 delivers its body, then errorOccurred",
    routes: { "/": { status: 404, reason: "Not Found", chunks: ["no such page"] } },
    expect: {
      sequence: `requestSent metaDataChanged readyRead downloadProgress? DATA ${ERROR_TAIL}`,
      error: NetworkError.ContentNotFoundError,
      body: "no such page",
      status: 404,
    },
  },
  {
    name: "500 is InternalServerError",
    routes: { "/": { status: 500, chunks: ["oops"] } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${ERROR_TAIL}`,
      error: NetworkError.InternalServerError,
      body: "oops",
    },
  },
  {
    name: "418 is ProtocolInvalidOperationError",
    routes: { "/": { status: 418, chunks: ["teapot"] } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${ERROR_TAIL}`,
      error: NetworkError.ProtocolInvalidOperationError,
    },
  },
  {
    name: "a 302 chain is followed, one redirected per hop",
    path: "/r/1",
    routes: {
      "/r/1": redirectTo("/r/2"),
      "/r/2": redirectTo("/r/3", 301),
      "/r/3": redirectTo("/final", 308),
      "/final": { status: 200, chunks: ["done"] },
    },
    expect: {
      sequence:
        `requestSent metaDataChanged redirected requestSent metaDataChanged redirected requestSent metaDataChanged redirected requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      body: "done",
      path: "/final",
      status: 200,
      methods: ["GET", "GET", "GET", "GET"],
    },
  },
  {
    name: "POST + 301 becomes GET without a body",
    method: "POST",
    body: "payload",
    routes: { "/": redirectTo("/target", 301), "/target": { status: 200, chunks: ["ok"] } },
    expect: {
      sequence:
        `uploadProgress uploadProgress requestSent metaDataChanged redirected requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      methods: ["POST", "GET"],
      uploads: ["0,7", "7,7"],
    },
  },
  {
    name: "POST + 307 keeps the method and re-sends the body",
    method: "POST",
    body: "payload",
    routes: { "/": redirectTo("/target", 307), "/target": { status: 200, chunks: ["ok"] } },
    expect: {
      sequence:
        `uploadProgress uploadProgress requestSent metaDataChanged redirected uploadProgress uploadProgress requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      methods: ["POST", "POST"],
    },
  },
  {
    name: "maximumRedirectsAllowed 1: the second redirect is TooManyRedirectsError",
    path: "/r/1",
    maximumRedirectsAllowed: 1,
    routes: { "/r/1": redirectTo("/r/2"), "/r/2": redirectTo("/final"), "/final": { status: 200 } },
    expect: {
      sequence: `requestSent metaDataChanged redirected requestSent metaDataChanged ${ERROR_TAIL}`,
      error: NetworkError.TooManyRedirectsError,
      path: "/r/2",
      status: 302,
    },
  },
  {
    name: "a redirect to ftp: is ProtocolUnknownError without redirected",
    routes: { "/": redirectTo("ftp://files.test/x") },
    expect: {
      sequence: `requestSent metaDataChanged ${ERROR_TAIL}`,
      error: NetworkError.ProtocolUnknownError,
      body: "",
    },
  },
  {
    name: "a 302 without Location is ProtocolUnknownError",
    routes: { "/": { status: 302, chunks: ["where?"] } },
    expect: {
      sequence: `requestSent metaDataChanged ${ERROR_TAIL}`,
      error: NetworkError.ProtocolUnknownError,
    },
  },
  {
    name: "ManualRedirectPolicy: the 3xx is an ordinary reply",
    redirectPolicy: RedirectPolicy.ManualRedirectPolicy,
    routes: { "/": redirectTo("/elsewhere", 307) },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      body: "moved",
      status: 307,
    },
  },
  {
    name: "SameOriginRedirectPolicy refuses another origin",
    redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy,
    routes: { "/": redirectTo("{other}/final") },
    expect: {
      sequence: `requestSent metaDataChanged ${ERROR_TAIL}`,
      error: NetworkError.InsecureRedirectError,
    },
  },
  {
    name: "UserVerifiedRedirectPolicy waits for redirectAllowed()",
    redirectPolicy: RedirectPolicy.UserVerifiedRedirectPolicy,
    act: "allowRedirect",
    routes: { "/": redirectTo("/final"), "/final": { status: 200, chunks: ["yes"] } },
    expect: {
      sequence: `requestSent metaDataChanged redirected requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      body: "yes",
    },
  },
  {
    name: "UserVerifiedRedirectPolicy: abort() in redirected keeps the 3xx status",
    redirectPolicy: RedirectPolicy.UserVerifiedRedirectPolicy,
    act: "abortOnRedirected",
    routes: { "/": redirectTo("/final", 307), "/final": { status: 200 } },
    expect: {
      sequence: `requestSent metaDataChanged redirected ${ERROR_TAIL}`,
      error: NetworkError.OperationCanceledError,
      status: 307,
      methods: ["GET"],
    },
  },
  {
    name: "POST with an empty body: exactly one uploadProgress(0, 0)",
    method: "POST",
    body: "",
    routes: { "/": { status: 200, chunks: ["ok"] } },
    expect: {
      sequence: `uploadProgress requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      uploads: ["0,0"],
    },
  },
  {
    name: "POST without a body: no uploadProgress",
    method: "POST",
    body: null,
    routes: { "/": { status: 200, chunks: ["ok"] } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${OK_TAIL}`,
      error: NetworkError.NoError,
      uploads: [],
    },
  },
  {
    name: "PUT with a body: (0, total) then (total, total)",
    method: "PUT",
    body: "0123456789",
    routes: { "/": { status: 201 } },
    expect: {
      sequence: `uploadProgress uploadProgress requestSent metaDataChanged ${OK_TAIL}`,
      error: NetworkError.NoError,
      uploads: ["0,10", "10,10"],
    },
  },
  {
    name: "connection refused",
    routes: { "/": { refused: true } },
    expect: { sequence: ERROR_TAIL, error: NetworkError.ConnectionRefusedError },
  },
  {
    name: "a body cut short is RemoteHostClosedError after the bytes received",
    routes: { "/": { status: 200, chunks: ["partial"], ending: "truncated" } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${ERROR_TAIL}`,
      error: NetworkError.RemoteHostClosedError,
      body: "partial",
    },
  },
  {
    name: "transfer timeout on a silent server is TimeoutError",
    transferTimeout: 150,
    routes: { "/": { silent: true } },
    expect: { sequence: `requestSent? ${ERROR_TAIL}`, error: NetworkError.TimeoutError, body: "" },
  },
  {
    name: "transfer timeout mid-body is TimeoutError",
    transferTimeout: 150,
    routes: { "/": { status: 200, chunks: ["first"], ending: "stall" } },
    expect: {
      sequence: `requestSent metaDataChanged DATA ${ERROR_TAIL}`,
      error: NetworkError.TimeoutError,
      body: "",
    },
  },
  {
    name: "abort() after the first readyRead",
    act: "abortOnFirstReadyRead",
    routes: { "/": { status: 200, chunks: ["one", "two"], ending: "stall" } },
    expect: {
      sequence: `requestSent metaDataChanged readyRead ${ERROR_TAIL}`,
      error: NetworkError.OperationCanceledError,
      body: "",
    },
  },
  {
    name: "close() at metaDataChanged",
    act: "closeOnMetaDataChanged",
    routes: { "/": { status: 200, chunks: ["body"] } },
    expect: {
      sequence: `requestSent metaDataChanged ${ERROR_TAIL}`,
      error: NetworkError.OperationCanceledError,
      body: "",
    },
  },
  {
    name: "abort() right after get(): the whole sequence inside the call",
    act: "abortRightAway",
    routes: { "/": { status: 200, chunks: ["body"] } },
    expect: { sequence: ERROR_TAIL, error: NetworkError.OperationCanceledError, body: "", methods: [] },
  },
];
