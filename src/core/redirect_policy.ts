/**
 * Qt's `QNetworkRequest::RedirectPolicy`: which redirects are followed (default `NoLessSafeRedirectPolicy`).
 *
 * @example
 * ```ts
 * import { RedirectPolicy } from "@netreply/netreply";
 * console.log(RedirectPolicy.NoLessSafeRedirectPolicy);
 * ```
 *
 * @module
 */

/** Qt's `QNetworkRequest::RedirectPolicy`: which redirects are followed (default `NoLessSafeRedirectPolicy`). */
export const RedirectPolicy = {
  ManualRedirectPolicy: 0,
  NoLessSafeRedirectPolicy: 1,
  SameOriginRedirectPolicy: 2,
  UserVerifiedRedirectPolicy: 3,
} as const;

/** One of the {@linkcode RedirectPolicy} numbers. */
export type RedirectPolicy = typeof RedirectPolicy[keyof typeof RedirectPolicy];
