import assert from "node:assert/strict";
import { basicAuthorization } from "../../src/core/basic_auth.ts";

const cases: { user: string; password: string; value: string; why: string }[] = [
  {
    user: "Aladdin",
    password: "open sesame",
    value: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    why: "RFC 7617 §2",
  },
  { user: "test", password: "123\u00a3", value: "Basic dGVzdDoxMjPCow==", why: "RFC 7617 §2.1, UTF-8" },
  { user: "", password: "", value: "Basic Og==", why: "both empty" },
  { user: "ann", password: "", value: "Basic YW5uOg==", why: "empty password" },
  { user: "", password: "pw", value: "Basic OnB3", why: "empty user" },
  { user: "ann", password: "a:b:c", value: `Basic ${btoa("ann:a:b:c")}`, why: "colons in the password" },
  { user: "\u00e9", password: "x", value: `Basic ${btoa("\u00c3\u00a9:x")}`, why: "é as two UTF-8 bytes" },
  { user: "\u{1f600}", password: "x", value: `Basic ${btoa("\u00f0\u009f\u0098\u0080:x")}`, why: "astral" },
  { user: "a:b", password: "c", value: `Basic ${btoa("a:b:c")}`, why: "lenient: colon in the user id" },
  { user: "a\r\nb", password: "c", value: `Basic ${btoa("a\r\nb:c")}`, why: "lenient: controls encoded" },
];

for (const { user, password, value, why } of cases) {
  Deno.test(`basicAuthorization: ${why}`, () => {
    assert.equal(basicAuthorization(user, password), value);
  });
}

Deno.test("basicAuthorization: the value is one header-safe token68 after the scheme", () => {
  const value = basicAuthorization("a\r\nb\u0000", "\u00ff\u{10ffff}");
  assert.match(value, /^Basic [A-Za-z0-9+/]+=*$/);
});

Deno.test("basicAuthorization: decoding gives back the UTF-8 of user:password", () => {
  const value = basicAuthorization("J\u00fcrgen", "p\u00e4ss w\u00f6rd");
  const bytes = Uint8Array.from(atob(value.slice("Basic ".length)), (c) => c.charCodeAt(0));
  assert.equal(new TextDecoder().decode(bytes), "J\u00fcrgen:p\u00e4ss w\u00f6rd");
});
