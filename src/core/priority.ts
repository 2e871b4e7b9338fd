/**
 * Qt's `QNetworkRequest::Priority`: a scheduling hint.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Priority } from "@netreply/netreply";
 * equal(Priority.NormalPriority, 3);
 * ```
 *
 * @module
 */

/**
 * Qt's `QNetworkRequest::Priority`: a scheduling hint.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkRequest, Priority } from "@netreply/netreply";
 * const request = new NetworkRequest("https://api.test/", { priority: Priority.HighPriority });
 * equal(request.priority(), Priority.HighPriority);
 * equal(new NetworkRequest("https://api.test/").priority(), Priority.NormalPriority);
 * ```
 */
export const Priority = {
  HighPriority: 1,
  NormalPriority: 3,
  LowPriority: 5,
} as const;

/** One of the {@linkcode Priority} numbers. */
export type Priority = typeof Priority[keyof typeof Priority];
