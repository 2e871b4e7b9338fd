import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { md5 } from "../../src/core/md5.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function md5Hex(text: string): string {
  return hex(md5(new TextEncoder().encode(text)));
}

// RFC 1321 §A.5, the test suite.
const rfc1321Suite: [string, string][] = [
  ["", "d41d8cd98f00b204e9800998ecf8427e"],
  ["a", "0cc175b9c0f1b6a831c399e269772661"],
  ["abc", "900150983cd24fb0d6963f7d28e17f72"],
  ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
  ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
  ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
  [
    "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
    "57edf4a22be3c955ac49da2e2107b67a",
  ],
];

for (const [input, digest] of rfc1321Suite) {
  Deno.test(`md5: RFC 1321 §A.5 MD5 (${JSON.stringify(input)})`, () => {
    assert.equal(md5Hex(input), digest);
  });
}

Deno.test("md5: every length across the padding boundaries (55, 56, 63, 64, 119, 120, 128 bytes) matches node:crypto", () => {
  for (let length = 0; length <= 200; length++) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
    assert.equal(hex(md5(data)), createHash("md5").update(data).digest("hex"), `length ${length}`);
  }
});

Deno.test("md5: a view into a larger buffer hashes only its own bytes", () => {
  const buffer = new TextEncoder().encode("xxabcxx");
  assert.equal(hex(md5(buffer.subarray(2, 5))), "900150983cd24fb0d6963f7d28e17f72");
});

Deno.test("md5: the input is not modified and each call returns a new 16-byte array", () => {
  const data = new TextEncoder().encode("abc");
  const first = md5(data);
  const second = md5(data);
  assert.deepEqual(data, new TextEncoder().encode("abc"));
  assert.equal(first.length, 16);
  assert.notEqual(first, second);
  assert.deepEqual(first, second);
});

Deno.test("md5: one million 'a' bytes give the well-known 7707d6ae… digest", () => {
  const data = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(hex(md5(data)), "7707d6ae4e027c70eea2a935c2296f21");
});

Deno.test("md5: random inputs match node:crypto (property)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
      assert.equal(hex(md5(data)), createHash("md5").update(data).digest("hex"));
    }),
    { seed: 1321, numRuns: 200 },
  );
});
