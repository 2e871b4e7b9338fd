/**
 * {@linkcode authenticationLayer}: HTTP authentication (RFC 9110 §11) for
 * the manager, Basic (RFC 7617) and Digest (RFC 7616), as Qt's HTTP layer
 * applies it (QNetworkAccessManager::authenticationRequired, QAuthenticator).
 *
 * On a 401 whose `WWW-Authenticate` offers a challenge netreply can answer,
 * the 401 is kept from the reply (no `metaDataChanged`, its body is never
 * read) and credentials are found, in Qt's order:
 *
 * 1. the request URL's user info (`http://user:pass@host/`), once, without
 *    asking;
 * 2. credentials the manager remembers for the challenge's realm on that
 *    origin, unless they are the ones just refused;
 * 3. the user, through an `ask` event with a `{ kind: "authentication" }`
 *    question (the manager's `authenticationRequired`).
 *
 * With credentials the exchange runs again with `Authorization`; what the
 * repeated attempt already reported (connecting, requestSent, upload
 * progress) is hidden. Without credentials, or when the user gives the very
 * credentials that were just refused (Qt does not ask twice for the same),
 * the 401 goes through and the reply fails with `AuthenticationRequiredError`
 * with the 401's body readable. A 401 with no challenge netreply can answer
 * goes through without asking.
 *
 * Credentials that got a response other than 401 are remembered per origin
 * and realm ({@linkcode CredentialCache}) and sent before being asked on
 * later requests to the same protection space; refused ones are forgotten;
 * `clearAccessCache()` drops them all ({@linkcode ServerCredentials.clear}).
 * A Digest answer counts its requests per nonce (`nc`); a Digest challenge
 * with `stale=true` is answered with the same credentials and the new nonce,
 * without asking (RFC 7616 §3.3).
 *
 * A proxy's 407 to an http request that the transport passed on without
 * asking (fetch: the runtime's proxy client cannot ask) is answered the same
 * way through the manager's `proxyAuthenticationRequired`, once: Basic
 * credentials are put in the proxy URL, which the transport sends, and kept
 * for later requests through that proxy until `clearAccessCache()`. A
 * transport that asks itself (the socket transport) has the last word.
 *
 * `AuthenticationReuseAttribute` set to `Manual` turns the reuse off for a
 * request, as in Qt: no user info, no remembered credentials (none are kept
 * either); every 401 asks.
 *
 * A ReadableStream body is sent again from the copy the manager keeps
 * ({@linkcode ExchangeRequest.resendBody}, up to `STREAM_RESEND_BUFFER_LIMIT`);
 * a longer one, or one the transport had not read to its end, fails with
 * `ContentReSendError` (as redirects do).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "../../mod.ts";
 * import { MockTransport } from "../../testing.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/me" }).reply((call) =>
 *   call.headers.value("authorization") === "Basic YW5uOnB3"
 *     ? { status: 200, body: "hello ann" }
 *     : { status: 401, headers: { "www-authenticate": 'Basic realm="api"' } }
 * ).persist();
 * await using nam = new NetworkAccessManager({ transport: mock });
 * nam.addEventListener("authenticationRequired", (event) => {
 *   event.authenticator.user = "ann";
 *   event.authenticator.password = "pw";
 * });
 * equal(await nam.get("http://api.test/me").text(), "hello ann");
 * ```
 *
 * @module
 */

import { type AuthChallenge, chooseAuthChallenge, parseAuthChallenges } from "../core/auth_challenge.ts";
import { Authenticator } from "../core/authenticator.ts";
import { basicAuthorization } from "../core/basic_auth.ts";
import { CredentialCache, type StoredCredential } from "../core/credential_cache.ts";
import { digestAuthorization, DigestNonceCounter, parseDigestChallenge } from "../core/digest_auth.ts";
import { HttpHeaders } from "../core/http_headers.ts";
import { LoadControl } from "../core/load_control.ts";
import { NetworkError } from "../core/network_error.ts";
import { AttemptEvents } from "../transport/attempt_events.ts";
import {
  bodyToResend,
  exchangeError,
  type ExchangeEvent,
  type ExchangeRequest,
  type ResponseHead,
  type UserQuestion,
} from "../transport/transport.ts";
import type { Exchange, ExchangeLayer } from "./exchange_layer.ts";

/**
 * What a manager remembers about server authentication: credentials that
 * worked, by protection space, and the Digest nonce counts.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ServerCredentials } from "./authentication_layer.ts";
 * const known = new ServerCredentials();
 * known.cache.store(new URL("http://h.test/"), { scheme: "Basic", realm: "r", user: "ann", password: "pw" });
 * known.clear();
 * equal(known.cache.lookup(new URL("http://h.test/")), undefined);
 * ```
 */
export class ServerCredentials {
  /** Credentials that worked, by origin and realm. */
  readonly cache: CredentialCache = new CredentialCache();
  /** Requests sent per Digest nonce. */
  readonly nonces: DigestNonceCounter = new DigestNonceCounter();
  /** Credentials given for a proxy the transport does not ask about itself, by proxy URL (without credentials). */
  readonly proxies: Map<string, { readonly user: string; readonly password: string }> = new Map();

  /** Forgets every credential and nonce (Qt's `clearAccessCache()`). */
  clear(): void {
    this.cache.clear();
    this.nonces.clear();
    this.proxies.clear();
  }
}

const managerCredentials = new WeakMap<object, ServerCredentials>();

/**
 * The {@linkcode ServerCredentials} of `manager`, made on first use: the
 * authentication layer reads and fills them, `clearAccessCache()` clears them.
 *
 * @param manager The owner (a `NetworkAccessManager`).
 * @returns The same object for the same manager.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { serverCredentialsOf } from "./authentication_layer.ts";
 * const manager = {};
 * equal(serverCredentialsOf(manager), serverCredentialsOf(manager));
 * ```
 */
export function serverCredentialsOf(manager: object): ServerCredentials {
  let credentials = managerCredentials.get(manager);
  if (credentials === undefined) {
    credentials = new ServerCredentials();
    managerCredentials.set(manager, credentials);
  }
  return credentials;
}

/**
 * The layer answering 401 challenges with credentials from `known`, the URL
 * or the user; see the module documentation.
 *
 * @param known What the manager remembers (see {@linkcode serverCredentialsOf}).
 * @returns The layer, named `"authentication"`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { authenticationLayer, ServerCredentials } from "./authentication_layer.ts";
 * equal(authenticationLayer(new ServerCredentials()).name, "authentication");
 * ```
 */
export function authenticationLayer(known: ServerCredentials): ExchangeLayer {
  return {
    name: "authentication",
    wrap: (next) => (request, signal) => authenticatedExchange(next, request, signal, known),
  };
}

/** Credentials with the challenge they answer. */
type Answer = StoredCredential & { readonly challenge: AuthChallenge };

/**
 * The server credentials of one exchange: what was sent, and where the next
 * ones come from (Qt's order: URL user info once, then remembered ones,
 * then the user).
 */
class ServerAnswers {
  /** What the attempt under way sends, if anything. */
  sent: Answer | undefined;
  readonly #url: URL;
  readonly #known: ServerCredentials;
  #userInfo: { readonly user: string; readonly password: string } | undefined;
  #staleAnswered = false;
  /** AuthenticationReuseAttribute: false (`Manual`) uses neither user info nor remembered credentials, and keeps none. */
  readonly #reuse: boolean;

  constructor(request: ExchangeRequest, known: ServerCredentials) {
    this.#url = request.url;
    this.#known = known;
    this.#reuse = request.options.authenticationReuse !== LoadControl.Manual;
    if (!this.#reuse) return;
    this.#userInfo = credentialsInUrl(request.url);
    // Sent ahead of any challenge, unless the user wrote their own Authorization.
    if (!request.headers.contains("authorization")) this.sent = remembered(known.cache.lookup(request.url));
  }

  /** A response other than 401: what was sent worked and is remembered. */
  accepted(): void {
    if (this.sent !== undefined && this.#reuse) this.#known.cache.store(this.#url, this.sent);
  }

  /**
   * A 401 with `challenge`: what was sent is forgotten, and the answer that
   * needs no question is given — the same credentials for a stale nonce
   * (RFC 7616 §3.3, once, so that a server calling every nonce stale cannot
   * loop), the URL's user info (once), or remembered credentials for the
   * realm other than those just refused; `undefined` when the user must be asked.
   */
  refused(challenge: AuthChallenge): Answer | undefined {
    const { sent } = this;
    const realm = challenge.params.realm ?? "";
    if (sent !== undefined) this.#known.cache.forget(this.#url, sent.realm);
    if (sent !== undefined && !this.#staleAnswered && isStaleNonce(challenge, sent)) {
      this.#staleAnswered = true;
      return { ...sent, challenge };
    }
    if (this.#userInfo !== undefined) {
      const answer = { ...this.#userInfo, scheme: challenge.scheme, realm, challenge };
      this.#userInfo = undefined;
      return answer;
    }
    const cached = this.#reuse ? this.#known.cache.lookupRealm(this.#url, realm) : undefined;
    if (cached === undefined || sameCredentials(cached, sent)) return undefined;
    return { ...cached, scheme: challenge.scheme, challenge };
  }

  /** The user's answer to `challenge`; `undefined` for none, or for the very credentials just refused (as Qt). */
  given(challenge: AuthChallenge, authenticator: Authenticator): Answer | undefined {
    if (authenticator.isNull() || sameCredentials(authenticator, this.sent)) return undefined;
    const { realm, user, password } = authenticator;
    return { scheme: challenge.scheme, realm, user, password, challenge };
  }
}

/**
 * One exchange with its 401s (and the 407s of a proxy the transport did not
 * ask about) answered. Once a response head needs no answer, the rest of that
 * attempt's events go straight through: its body costs the layer nothing.
 * When nothing is sent ahead of a challenge (no remembered credentials, no
 * proxy credentials to add), the first attempt runs as it is and the
 * negotiation starts only at a 401 or 407 head.
 */
function authenticatedExchange(
  next: Exchange,
  request: ExchangeRequest,
  signal: AbortSignal,
  known: ServerCredentials,
): AsyncIterator<ExchangeEvent, undefined> {
  const server = new ServerAnswers(request, known);
  const proxy = withRememberedProxyCredentials(request, known);
  if (server.sent === undefined && proxy === request.proxy) {
    return new FirstAttempt(next, request, signal, known, server);
  }
  let rest: AsyncIterator<ExchangeEvent, undefined> | undefined;
  const negotiation = negotiate(next, request, signal, known, (events) => rest = events, { server, proxy });
  return {
    next: () => rest === undefined ? negotiation.next() : rest.next(),
    return: () => rest === undefined ? negotiation.return(undefined) : rest.return?.() ?? DONE,
  };
}

/**
 * The first attempt of an exchange that sends nothing ahead of a challenge:
 * its events pass as they are up to the response head, which decides — a
 * 401 or 407 hands the exchange to the negotiation (resuming at that head),
 * any other status passes the rest straight from the attempt.
 */
class FirstAttempt implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #next: Exchange;
  readonly #request: ExchangeRequest;
  readonly #signal: AbortSignal;
  readonly #known: ServerCredentials;
  readonly #server: ServerAnswers;
  readonly #first: AsyncIterator<ExchangeEvent, undefined>;
  readonly #seen = new AttemptEvents();
  #proxyAsked = false;
  /** Where `next()` goes once the head decided: the attempt itself, or the negotiation. */
  #rest: AsyncIterator<ExchangeEvent, undefined> | undefined;

  constructor(
    next: Exchange,
    request: ExchangeRequest,
    signal: AbortSignal,
    known: ServerCredentials,
    server: ServerAnswers,
  ) {
    this.#next = next;
    this.#request = request;
    this.#signal = signal;
    this.#known = known;
    this.#server = server;
    this.#first = startAttempt(next, request, signal);
  }

  next(): Promise<Step> {
    return this.#rest === undefined ? this.#first.next().then(this.#look) : this.#rest.next();
  }

  return(): Promise<Step> {
    return (this.#rest ?? this.#first).return?.() ?? DONE;
  }

  readonly #look = (step: Step): Step | Promise<Step> => {
    if (step.done) return step;
    const event = step.value;
    if (event.type === "ask" && event.question.kind === "proxyAuthentication") this.#proxyAsked = true;
    if (event.type !== "responseHead") {
      return this.#seen.admit(event) ? step : this.#first.next().then(this.#look);
    }
    const { status } = event.head;
    if (status !== 401 && status !== 407) {
      this.#rest = this.#first;
      return step;
    }
    const negotiation = negotiate(
      this.#next,
      this.#request,
      this.#signal,
      this.#known,
      (events) => this.#rest = events,
      {
        server: this.#server,
        proxy: this.#request.proxy,
        resume: { events: this.#first, head: event, seen: this.#seen, proxyAsked: this.#proxyAsked },
      },
    );
    this.#rest = negotiation;
    return negotiation.next();
  };
}

type Step = IteratorResult<ExchangeEvent, undefined>;

const DONE: Promise<Step> = Promise.resolve({ done: true, value: undefined });

/**
 * Starts one attempt; an `exchange()` that throws (against the contract) is
 * reported as the manager reports its own faults, as the attempt's one event.
 */
function startAttempt(
  next: Exchange,
  request: ExchangeRequest,
  signal: AbortSignal,
): AsyncIterator<ExchangeEvent, undefined> {
  try {
    return next(request, signal);
  } catch (cause) {
    return eventsOf([
      exchangeError(NetworkError.UnknownNetworkError, `Internal error: ${String(cause)}`, cause),
    ]);
  }
}

/** `events`, one per `next()`. */
async function* eventsOf(events: readonly ExchangeEvent[]): AsyncGenerator<ExchangeEvent, undefined> {
  yield* events;
  return undefined;
}

/** An attempt already under way, up to the response head the negotiation takes over at. */
interface ResumedAttempt {
  readonly events: AsyncIterator<ExchangeEvent, undefined>;
  readonly head: ExchangeEvent;
  readonly seen: AttemptEvents;
  readonly proxyAsked: boolean;
}

/** The attempts up to a response head that needs no answer, which `handOver` then gets with the rest of its events. */
async function* negotiate(
  next: Exchange,
  request: ExchangeRequest,
  signal: AbortSignal,
  known: ServerCredentials,
  handOver: (rest: AsyncIterator<ExchangeEvent, undefined>) => void,
  start: {
    readonly server: ServerAnswers;
    readonly proxy: URL | null | undefined;
    readonly resume?: ResumedAttempt;
  },
): AsyncGenerator<ExchangeEvent, undefined> {
  const { server, resume } = start;
  const seen = resume?.seen ?? new AttemptEvents();
  let body = request.body;
  let proxy = start.proxy;
  let proxyAsked = resume?.proxyAsked ?? false;
  let resumed = resume;
  for (;;) {
    let events: AsyncIterator<ExchangeEvent, undefined>;
    let current: Step | undefined;
    if (resumed !== undefined) {
      // The first attempt ran without the negotiation up to this head.
      events = resumed.events;
      current = { done: false, value: resumed.head };
      resumed = undefined;
    } else {
      const headers = server.sent === undefined ? request.headers : new HttpHeaders(request.headers);
      if (server.sent !== undefined) {
        headers.replaceOrAppend("authorization", await authorization(server.sent, request, known));
      }
      events = startAttempt(next, { ...request, headers, body, proxy }, signal);
    }
    let retry = false;
    let handedOver = false;
    try {
      for (let step = current ?? await events.next(); !step.done; step = await events.next()) {
        const event = step.value;
        // A transport that asks about its proxy itself (the socket transport) has the last word on its 407.
        if (event.type === "ask" && event.question.kind === "proxyAuthentication") proxyAsked = true;
        if (event.type === "responseHead") {
          const { status } = event.head;
          const challenge = status === 401 ? answerableChallenge(event.head) : undefined;
          const proxyQuestion = status === 407 && !proxyAsked
            ? proxyAuthenticationQuestion(request, event.head)
            : undefined;
          if (status !== 401 && status !== 407) server.accepted();
          if (challenge === undefined && proxyQuestion === undefined) {
            // Nothing more to negotiate: the head, then the rest straight from the transport.
            handedOver = true;
            handOver(events);
            yield event;
            return undefined;
          }
          const again = bodyToResend(request);
          if (again !== null && "refusal" in again) {
            yield exchangeError(
              NetworkError.ContentReSendError,
              `Cannot re-send the request body for HTTP ${status}: ${again.refusal}`,
            );
            return undefined;
          }
          if (proxyQuestion !== undefined) {
            proxyAsked = true; // once, as the socket transport asks
            known.proxies.delete(proxyQuestion.proxy.href);
            yield { type: "ask", question: proxyQuestion };
            if (request.answer(proxyQuestion)) {
              const { user, password } = proxyQuestion.authenticator;
              known.proxies.set(proxyQuestion.proxy.href, { user, password });
              proxy = proxyWithCredentials(proxyQuestion.proxy, user, password);
              retry = true;
            }
          } else if (challenge !== undefined) {
            let answer = server.refused(challenge);
            if (answer === undefined) {
              const question = authenticationQuestion(challenge);
              yield { type: "ask", question };
              if (request.answer(question)) answer = server.given(challenge, question.authenticator);
            }
            server.sent = answer ?? server.sent;
            retry = answer !== undefined;
          }
          if (retry) {
            body = again;
            break;
          }
        }
        if (seen.admit(event)) yield event;
        if (event.type === "end" || event.type === "error") return undefined;
      }
    } finally {
      if (!handedOver) await events.return?.();
    }
    if (!retry) return undefined;
  }
}

/** The challenge of a 401 netreply answers, or `undefined` (none offered, or a malformed field). */
function answerableChallenge(head: ResponseHead): AuthChallenge | undefined {
  try {
    return chooseAuthChallenge(parseAuthChallenges(head.headers.values("www-authenticate")));
  } catch {
    return undefined; // a SyntaxError: a malformed challenge is no challenge
  }
}

/**
 * The question for a proxy's 407 the transport passed on without asking (fetch):
 * a Basic challenge from the explicit proxy of an http request, whose
 * credentials go in the proxy URL (the runtime sends them). `undefined` otherwise.
 */
function proxyAuthenticationQuestion(
  request: ExchangeRequest,
  head: ResponseHead,
): Extract<UserQuestion, { kind: "proxyAuthentication" }> | undefined {
  if (!request.proxy || request.url.protocol !== "http:") return undefined;
  let challenge: AuthChallenge | undefined;
  try {
    challenge = chooseAuthChallenge(parseAuthChallenges(head.headers.values("proxy-authenticate")));
  } catch {
    return undefined;
  }
  if (challenge?.scheme.toLowerCase() !== "basic") return undefined;
  const proxy = proxyWithCredentials(request.proxy, "", "");
  const { realm, ...options } = challenge.params;
  return {
    kind: "proxyAuthentication",
    proxy,
    authenticator: new Authenticator({ realm, scheme: challenge.scheme, options }),
  };
}

/** `proxy` carrying `user` and `password` (none when both are empty). */
function proxyWithCredentials(proxy: URL, user: string, password: string): URL {
  const withCredentials = new URL(proxy.href);
  withCredentials.username = encodeURIComponent(user);
  withCredentials.password = encodeURIComponent(password);
  return withCredentials;
}

/** The request's proxy, with the credentials that worked for it before where it names none (http requests only). */
function withRememberedProxyCredentials(
  request: ExchangeRequest,
  known: ServerCredentials,
): URL | null | undefined {
  const proxy = request.proxy;
  if (!proxy || proxy.username !== "" || proxy.password !== "" || request.url.protocol !== "http:") {
    return proxy;
  }
  const credentials = known.proxies.get(proxy.href);
  return credentials === undefined
    ? proxy
    : proxyWithCredentials(proxy, credentials.user, credentials.password);
}

/** The question put to the user for `challenge`, with an empty authenticator. */
function authenticationQuestion(challenge: AuthChallenge): Extract<UserQuestion, { kind: "authentication" }> {
  const { realm, ...options } = challenge.params;
  return {
    kind: "authentication",
    authenticator: new Authenticator({ realm, scheme: challenge.scheme, options }),
  };
}

/** Whether a Digest answer was refused only for its old nonce (RFC 7616 §3.3 `stale=true`). */
function isStaleNonce(challenge: AuthChallenge, sent: Answer): boolean {
  return challenge.scheme.toLowerCase() === "digest" && sent.scheme.toLowerCase() === "digest" &&
    parseDigestChallenge(challenge).stale;
}

/** A remembered credential that can be sent before a challenge: Basic, or Digest with its challenge. */
function remembered(credential: StoredCredential | undefined): Answer | undefined {
  if (credential === undefined) return undefined;
  if (credential.challenge !== undefined) return credential as Answer;
  return { ...credential, challenge: { scheme: credential.scheme, params: { realm: credential.realm } } };
}

function sameCredentials(
  a: { readonly user: string; readonly password: string },
  b: { readonly user: string; readonly password: string } | undefined,
): boolean {
  return b !== undefined && a.user === b.user && a.password === b.password;
}

/** The user and password of `url`'s user info, decoded, or `undefined` when it has none. */
function credentialsInUrl(url: URL): { user: string; password: string } | undefined {
  if (url.username === "" && url.password === "") return undefined;
  return { user: percentDecoded(url.username), password: percentDecoded(url.password) };
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray '%' is kept as typed
  }
}

/** The `Authorization` value for `answer` on this request (Digest: `uri` is the request-target, `nc` counted). */
function authorization(answer: Answer, request: ExchangeRequest, known: ServerCredentials): Promise<string> {
  if (answer.scheme.toLowerCase() !== "digest") {
    return Promise.resolve(basicAuthorization(answer.user, answer.password));
  }
  const challenge = parseDigestChallenge(answer.challenge);
  return digestAuthorization({
    challenge,
    user: answer.user,
    password: answer.password,
    method: request.method,
    uri: `${request.url.pathname}${request.url.search}`,
    nc: known.nonces.next(challenge.nonce),
  });
}
