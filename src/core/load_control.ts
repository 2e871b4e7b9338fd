/**
 * Qt's `QNetworkRequest::LoadControl`: automatic or manual cookie/auth handling.
 *
 * @example
 * ```ts
 * import { LoadControl } from "@netreply/netreply";
 * console.log(LoadControl.Automatic);
 * ```
 *
 * @module
 */

/** Qt's `QNetworkRequest::LoadControl`: automatic or manual cookie/auth handling. */
export const LoadControl = {
  Automatic: 0,
  Manual: 1,
} as const;

/** One of the {@linkcode LoadControl} numbers. */
export type LoadControl = typeof LoadControl[keyof typeof LoadControl];
