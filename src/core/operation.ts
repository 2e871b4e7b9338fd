/**
 * Qt's `QNetworkAccessManager::Operation`: which HTTP operation a reply performs.
 *
 * @example
 * ```ts
 * import { Operation } from "@netreply/netreply";
 * console.log(Operation.GetOperation);
 * ```
 *
 * @module
 */

/** Qt's `QNetworkAccessManager::Operation`: which HTTP operation a reply performs. */
export const Operation = {
  UnknownOperation: 0,
  HeadOperation: 1,
  GetOperation: 2,
  PutOperation: 3,
  PostOperation: 4,
  DeleteOperation: 5,
  CustomOperation: 6,
} as const;

/** One of the {@linkcode Operation} numbers. */
export type Operation = typeof Operation[keyof typeof Operation];
