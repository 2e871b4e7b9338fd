/**
 * Qt's `QNetworkAccessManager::Operation`: which HTTP operation a reply performs.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Operation } from "@netreply/netreply";
 * equal(Operation.GetOperation, 2);
 * ```
 *
 * @module
 */

/**
 * Qt's `QNetworkAccessManager::Operation`: which HTTP operation a reply performs.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, Operation } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ method: "DELETE", url: "https://api.test/item/1" }).reply(204);
 * mock.intercept({ method: "PATCH", url: "https://api.test/item/2" }).reply(200);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(nam.deleteResource("https://api.test/item/1").operation(), Operation.DeleteOperation);
 * equal(nam.sendCustomRequest("https://api.test/item/2", "PATCH").operation(), Operation.CustomOperation);
 * ```
 */
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

/** The method of each standard operation; CustomOperation sends its own verb, UnknownOperation none. */
const VERBS: Readonly<Partial<Record<Operation, string>>> = {
  [Operation.HeadOperation]: "HEAD",
  [Operation.GetOperation]: "GET",
  [Operation.PutOperation]: "PUT",
  [Operation.PostOperation]: "POST",
  [Operation.DeleteOperation]: "DELETE",
};
const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  Object.entries(VERBS).map(([operation, verb]) => [verb, Number(operation) as Operation]),
);

/**
 * The method a standard operation sends (`"GET"` for GetOperation), or
 * `undefined` for CustomOperation and UnknownOperation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Operation, standardVerb } from "./operation.ts";
 * assert.equal(standardVerb(Operation.DeleteOperation), "DELETE");
 * assert.equal(standardVerb(Operation.CustomOperation), undefined);
 * ```
 */
export function standardVerb(operation: Operation): string | undefined {
  return VERBS[operation];
}

/**
 * The standard operation of a method (upper-case, as sent), or `undefined` for
 * any other verb.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Operation, standardOperation } from "./operation.ts";
 * assert.equal(standardOperation("POST"), Operation.PostOperation);
 * assert.equal(standardOperation("PATCH"), undefined);
 * ```
 */
export function standardOperation(verb: string): Operation | undefined {
  return OPERATIONS.get(verb);
}
