/**
 * Pure redirect decisions (Qt's QNetworkRequest::RedirectPolicy and its HTTP redirect handling): whether a response is a
 * redirect to follow, to refuse (with which error), or an ordinary response;
 * and how the method and body change for the next hop.
 *
 * @module
 */

import { NetworkError } from "./network_error.ts";
import { RedirectPolicy } from "./redirect_policy.ts";

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 305, 307, 308]);
/** A comma followed by whitespace: how several field values are joined into one. */
const SEVERAL_VALUES = /,[ \t]/;

/** What the manager knows when a response head arrives. */
export interface RedirectInput {
  readonly status: number;
  /**
   * The raw Location value, if the response had one; several Location fields
   * joined with ", " (as fetch's Headers joins them), which is refused.
   */
  readonly location: string | undefined;
  /** The URL of the hop that answered. */
  readonly currentUrl: URL;
  readonly policy: RedirectPolicy;
  /** Hops still allowed (starts at maximumRedirectsAllowed). */
  readonly remaining: number;
  /** The method of the hop that answered. */
  readonly method: string;
  /**
   * Called with the resolved target before the redirect policy judges it;
   * the URL it returns replaces the target (the manager's HSTS upgrade,
   * RFC 6797 §8.3), `undefined` keeps it.
   */
  readonly upgrade?: (target: URL) => URL | undefined;
}

/** The outcome of {@linkcode decideRedirect}. */
export type RedirectDecision =
  | { readonly kind: "none" }
  | { readonly kind: "follow"; readonly url: URL; readonly method: string; readonly keepBody: boolean }
  | {
    readonly kind: "refuse";
    readonly code: NetworkError;
    readonly message: string;
    /** The resolved target of an insecure refusal (Qt updates `url()` to it before failing). */
    readonly url?: URL;
  };

/** Whether `status` is one Qt follows (301, 302, 303, 305, 307, 308). */
export function isRedirectStatus(status: number): boolean {
  return redirectStatuses.has(status);
}

/**
 * Decides what to do with a response: follow, refuse or treat as final.
 *
 * @example
 * ```ts ignore
 * const decision = decideRedirect({
 *   status: 302, location: "/b", currentUrl: new URL("http://h/a"),
 *   policy: RedirectPolicy.NoLessSafeRedirectPolicy, remaining: 50, method: "POST",
 * });
 * // { kind: "follow", url: http://h/b, method: "GET", keepBody: false }
 * ```
 */
export function decideRedirect(input: RedirectInput): RedirectDecision {
  if (!isRedirectStatus(input.status) || input.policy === RedirectPolicy.ManualRedirectPolicy) {
    return { kind: "none" };
  }
  if (input.location !== undefined && SEVERAL_VALUES.test(input.location.trim())) {
    // Location is a singleton field (RFC 9110 §10.2.2) and a URI reference has no whitespace (RFC 3986):
    // ", " means several fields, whichever one a client picked would be a guess.
    return {
      kind: "refuse",
      code: NetworkError.ProtocolUnknownError,
      message: `Redirect (HTTP ${input.status}) with more than one Location: ${
        JSON.stringify(input.location)
      }`,
    };
  }
  let target: URL;
  try {
    if (input.location === undefined || input.location.trim() === "") throw new TypeError("missing");
    target = new URL(input.location.trim(), input.currentUrl);
  } catch {
    return {
      kind: "refuse",
      code: NetworkError.ProtocolUnknownError,
      message: input.location === undefined
        ? `Redirect (HTTP ${input.status}) without a Location header`
        : `Redirect (HTTP ${input.status}) to an invalid Location: ${JSON.stringify(input.location)}`,
    };
  }
  target = input.upgrade?.(target) ?? target;
  if (input.remaining <= 0) {
    return { kind: "refuse", code: NetworkError.TooManyRedirectsError, message: "Too many redirects" };
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return {
      kind: "refuse",
      code: NetworkError.ProtocolUnknownError,
      message: `Protocol "${target.protocol.slice(0, -1)}" is unknown`,
    };
  }
  target.hash = target.hash || input.currentUrl.hash;
  if (input.policy === RedirectPolicy.SameOriginRedirectPolicy && target.origin !== input.currentUrl.origin) {
    return {
      kind: "refuse",
      code: NetworkError.InsecureRedirectError,
      message: `Insecure redirect: ${target.origin} is not the same origin as ${input.currentUrl.origin}`,
      url: target,
    };
  }
  if (
    input.policy === RedirectPolicy.NoLessSafeRedirectPolicy && input.currentUrl.protocol === "https:" &&
    target.protocol === "http:"
  ) {
    return {
      kind: "refuse",
      code: NetworkError.InsecureRedirectError,
      message: `Insecure redirect: https to http (${target.href})`,
      url: target,
    };
  }
  return { kind: "follow", url: target, ...redirectedMethod(input.status, input.method) };
}

/**
 * Qt's method rewriting: 307/308 keep the method and body (a GET body only on
 * 308); HEAD stays HEAD; everything else becomes GET without a body.
 */
export function redirectedMethod(status: number, method: string): { method: string; keepBody: boolean } {
  if (status === 307 || status === 308) {
    return { method, keepBody: method !== "GET" || status === 308 };
  }
  if (method === "HEAD") return { method, keepBody: false };
  return { method: "GET", keepBody: false };
}
