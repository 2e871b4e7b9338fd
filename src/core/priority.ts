/**
 * Qt's `QNetworkRequest::Priority`: a scheduling hint.
 *
 * @example
 * ```ts
 * import { Priority } from "@netreply/netreply";
 * console.log(Priority.NormalPriority);
 * ```
 *
 * @module
 */

/** Qt's `QNetworkRequest::Priority`: a scheduling hint. */
export const Priority = {
  HighPriority: 1,
  NormalPriority: 3,
  LowPriority: 5,
} as const;

/** One of the {@linkcode Priority} numbers. */
export type Priority = typeof Priority[keyof typeof Priority];
