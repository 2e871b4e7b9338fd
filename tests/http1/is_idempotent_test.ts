import assert from "node:assert/strict";
import { isIdempotent } from "../../src/core/is_idempotent.ts";

Deno.test("isIdempotent: the RFC 9110 idempotent methods, case-sensitive", () => {
  const cases: [method: string, idempotent: boolean][] = [
    ["GET", true],
    ["HEAD", true],
    ["PUT", true],
    ["DELETE", true],
    ["OPTIONS", true],
    ["TRACE", true],
    ["POST", false],
    ["PATCH", false],
    ["CONNECT", false],
    ["PROPFIND", false],
    ["get", false],
    ["Put", false],
    ["", false],
  ];
  for (const [method, idempotent] of cases) assert.equal(isIdempotent(method), idempotent, method);
});
