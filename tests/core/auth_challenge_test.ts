import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type AuthChallenge,
  chooseAuthChallenge,
  parseAuthChallenges,
} from "../../src/core/auth_challenge.ts";

const c = (scheme: string, params: Record<string, string> = {}, token68?: string): AuthChallenge =>
  token68 === undefined ? { scheme, params } : { scheme, params, token68 };

const parses: { field: string | string[]; challenges: AuthChallenge[]; why: string }[] = [
  {
    field: 'Basic realm="WallyWorld"',
    challenges: [c("Basic", { realm: "WallyWorld" })],
    why: "RFC 7617 §2",
  },
  {
    field: 'Basic realm="simple", charset="UTF-8"',
    challenges: [c("Basic", { realm: "simple", charset: "UTF-8" })],
    why: "RFC 7617 §2.1 charset",
  },
  { field: "Basic realm=simple", challenges: [c("Basic", { realm: "simple" })], why: "token value" },
  { field: "Basic", challenges: [c("Basic")], why: "scheme alone" },
  { field: "Basic   ", challenges: [c("Basic")], why: "scheme and trailing spaces" },
  { field: "", challenges: [], why: "empty field" },
  { field: " , ,, ", challenges: [], why: "only empty list elements (RFC 9110 §5.6.1)" },
  { field: [], challenges: [], why: "no fields" },
  {
    field: 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
    challenges: [
      c("Newauth", { realm: "apps", type: "1", title: 'Login to "apps"' }),
      c("Basic", { realm: "simple" }),
    ],
    why: "RFC 9110 §11.6.1's example: two challenges in one field, quoted-pair",
  },
  {
    field: 'Bearer realm="a, b", error="invalid_token", error_description="The token, it expired"',
    challenges: [
      c("Bearer", { realm: "a, b", error: "invalid_token", error_description: "The token, it expired" }),
    ],
    why: "commas inside quoted strings",
  },
  {
    field: 'Digest realm="r", qop="auth, auth-int", nonce="n", Basic realm="r, Digest x=1"',
    challenges: [
      c("Digest", { realm: "r", qop: "auth, auth-int", nonce: "n" }),
      c("Basic", { realm: "r, Digest x=1" }),
    ],
    why: "a comma list inside a quoted value, then a second challenge",
  },
  {
    field: ['Basic realm="one"', 'Digest realm="two", nonce="n"', "Negotiate"],
    challenges: [c("Basic", { realm: "one" }), c("Digest", { realm: "two", nonce: "n" }), c("Negotiate")],
    why: "challenges across repeated fields",
  },
  {
    field: ["Negotiate, NTLM", 'Basic realm="r"'],
    challenges: [c("Negotiate"), c("NTLM"), c("Basic", { realm: "r" })],
    why: "bare schemes in a list and across fields",
  },
  {
    field: "Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg",
    challenges: [c("Negotiate", {}, "YIIBhwYGKwYBBQUCoIIBezCCAXeg")],
    why: "token68",
  },
  {
    field: "Negotiate abc+/9==",
    challenges: [c("Negotiate", {}, "abc+/9==")],
    why: "token68 with + / and padding",
  },
  {
    field: "Negotiate abc=, Basic realm=x",
    challenges: [c("Negotiate", {}, "abc="), c("Basic", { realm: "x" })],
    why: "token68 then another challenge",
  },
  { field: "Foo a=", challenges: [c("Foo", {}, "a=")], why: "a token with '=' and no value is a token68" },
  {
    field: 'Digest realm="a", nonce',
    challenges: [c("Digest", { realm: "a" }), c("nonce")],
    why: "a lone token after a comma is a new scheme",
  },
  {
    field: "Foo realm",
    challenges: [c("Foo", {}, "realm")],
    why: "a lone token after the scheme is a token68",
  },
  {
    field: 'DIGEST REALM="r", NONCE="n", Algorithm=MD5',
    challenges: [c("DIGEST", { realm: "r", nonce: "n", algorithm: "MD5" })],
    why: "scheme spelling kept, parameter names lower-cased",
  },
  {
    field: 'Basic realm = "spaced" , charset= UTF-8',
    challenges: [c("Basic", { realm: "spaced", charset: "UTF-8" })],
    why: "BWS around '=' and OWS around ','",
  },
  {
    field: 'Digest realm="r",, ,nonce="n",',
    challenges: [c("Digest", { realm: "r", nonce: "n" })],
    why: "empty elements between parameters",
  },
  {
    field: ', Basic realm="a",, Digest realm="b", nonce="n" ,',
    challenges: [c("Basic", { realm: "a" }), c("Digest", { realm: "b", nonce: "n" })],
    why: "empty elements between challenges",
  },
  {
    field: "Basic\trealm=x",
    challenges: [c("Basic", { realm: "x" })],
    why: "lenient: a tab after the scheme",
  },
  { field: 'Basic realm=""', challenges: [c("Basic", { realm: "" })], why: "empty quoted-string" },
  {
    field: 'Basic realm="caf\u00e9 \t\\\\ \\a"',
    challenges: [c("Basic", { realm: "caf\u00e9 \t\\ a" })],
    why: "obs-text, tab and quoted-pairs in a quoted-string",
  },
  {
    field: 'X __proto__="p", constructor=c',
    challenges: [c("X", Object.fromEntries([["__proto__", "p"], ["constructor", "c"]]))],
    why: "parameter names that are Object.prototype names",
  },
  {
    field: "X a=!#$%&'*+-.^_`|~09AZaz",
    challenges: [c("X", { a: "!#$%&'*+-.^_`|~09AZaz" })],
    why: "every tchar in a token value",
  },
];

for (const { field, challenges, why } of parses) {
  Deno.test(`parseAuthChallenges: ${why}`, () => {
    assert.deepEqual(parseAuthChallenges(field), challenges);
  });
}

Deno.test("parseAuthChallenges: params of a Object.prototype name are own properties", () => {
  const [challenge] = parseAuthChallenges('X __proto__="p"');
  assert.equal(Object.hasOwn(challenge.params, "__proto__"), true);
  assert.equal(Object.getPrototypeOf(challenge.params), Object.prototype);
  assert.equal(parseAuthChallenges("Basic")[0].params.toString, Object.prototype.toString);
});

const failures: { field: string; message: string; why: string }[] = [
  {
    field: 'Basic realm="x',
    message: 'Cannot parse challenge "Basic realm=\\"x": unterminated quoted-string at offset 14',
    why: "unterminated quoted-string",
  },
  {
    field: 'Basic realm="x\\',
    message: 'Cannot parse challenge "Basic realm=\\"x\\\\": unterminated quoted-string at offset 15',
    why: "a backslash at the end",
  },
  {
    field: 'Basic realm="a\nb"',
    message:
      'Cannot parse challenge "Basic realm=\\"a\\nb\\"": control character U+000A in a quoted-string at offset 14',
    why: "LF in a quoted-string",
  },
  {
    field: 'Basic realm="a\\\x00"',
    message:
      'Cannot parse challenge "Basic realm=\\"a\\\\\\u0000\\"": control character U+0000 in a quoted-string at offset 15',
    why: "a quoted-pair of NUL",
  },
  {
    field: 'Basic realm="a\x7f"',
    message:
      'Cannot parse challenge "Basic realm=\\"a\x7f\\"": control character U+007F in a quoted-string at offset 14',
    why: "DEL in a quoted-string",
  },
  {
    field: 'Basic realm="x" Digest realm="y"',
    message:
      'Cannot parse challenge "Basic realm=\\"x\\" Digest realm=\\"y\\"": expected "," after parameter "realm" at offset 16',
    why: "a missing comma between challenges",
  },
  {
    field: "Digest realm=a b",
    message: 'Cannot parse challenge "Digest realm=a b": expected "," after parameter "realm" at offset 15',
    why: "two tokens as one value",
  },
  {
    field: "Digest realm=, nonce=n",
    message:
      'Cannot parse challenge "Digest realm=, nonce=n": expected a token or quoted-string for parameter "realm" at offset 13',
    why: "an empty value",
  },
  {
    field: 'Digest realm="a", realm="b"',
    message:
      'Cannot parse challenge "Digest realm=\\"a\\", realm=\\"b\\"": parameter "realm" given twice at offset 18',
    why: "a parameter twice (RFC 9110 §11.2)",
  },
  {
    field: 'Digest realm="a", REALM="b"',
    message:
      'Cannot parse challenge "Digest realm=\\"a\\", REALM=\\"b\\"": parameter "realm" given twice at offset 18',
    why: "a parameter twice, names compared case-insensitively",
  },
  {
    field: 'Basic"realm"',
    message:
      'Cannot parse challenge "Basic\\"realm\\"": expected a space after auth-scheme "Basic" at offset 5',
    why: "no space after the scheme",
  },
  {
    field: "Basic=realm",
    message: 'Cannot parse challenge "Basic=realm": expected a space after auth-scheme "Basic" at offset 5',
    why: "'=' right after the scheme",
  },
  {
    field: '"Basic" realm=x',
    message: 'Cannot parse challenge "\\"Basic\\" realm=x": expected an auth-scheme at offset 0',
    why: "a quoted scheme",
  },
  {
    field: "Basic @",
    message: 'Cannot parse challenge "Basic @": expected an auth-param name at offset 6',
    why: "neither token68 nor auth-param",
  },
  {
    field: "Negotiate abc=, realm=x",
    message:
      'Cannot parse challenge "Negotiate abc=, realm=x": expected a token or quoted-string for parameter "abc" at offset 14',
    why: "parameters after a token68",
  },
  {
    field: "Negotiate abc, realm=x",
    message:
      'Cannot parse challenge "Negotiate abc, realm=x": expected "=" after parameter "abc" at offset 13',
    why: "parameters after a token68 without padding",
  },
  {
    field: "Basic realm=x;y",
    message: 'Cannot parse challenge "Basic realm=x;y": expected "," after parameter "realm" at offset 13',
    why: "a separator that is not a comma",
  },
];

for (const { field, message, why } of failures) {
  Deno.test(`parseAuthChallenges: SyntaxError for ${why}`, () => {
    assert.throws(() => parseAuthChallenges(field), { name: "SyntaxError", message });
  });
}

Deno.test("parseAuthChallenges: an error in a later field names that field", () => {
  assert.throws(() => parseAuthChallenges(['Basic realm="ok"', "Digest realm=x y"]), {
    name: "SyntaxError",
    message: 'Cannot parse challenge "Digest realm=x y": expected "," after parameter "realm" at offset 15',
  });
});

Deno.test("parseAuthChallenges: RFC 7616 §3.9.1's two WWW-Authenticate fields", () => {
  const fields = [
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256,' +
    ' nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5,' +
    ' nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  ];
  const challenges = parseAuthChallenges(fields);
  const common = {
    realm: "http-auth@example.org",
    qop: "auth, auth-int",
    nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
  };
  assert.deepEqual(challenges, [
    c("Digest", { ...common, algorithm: "SHA-256" }),
    c("Digest", { ...common, algorithm: "MD5" }),
  ]);
  assert.equal(chooseAuthChallenge(challenges), challenges[0]);
  assert.deepEqual(parseAuthChallenges(fields.join(", ")), challenges, "one combined field parses the same");
});

const choices: { field: string; chosen: number | undefined; why: string }[] = [
  { field: 'Basic realm="r"', chosen: 0, why: "Basic alone" },
  { field: 'bAsIc realm="r"', chosen: 0, why: "scheme names are case-insensitive" },
  { field: "Basic", chosen: 0, why: "Basic without realm, leniently" },
  {
    field: 'Basic realm="r", Digest realm="r", nonce="n"',
    chosen: 1,
    why: "Digest (MD5 by default) over Basic",
  },
  { field: 'Digest realm="r", nonce="n", Basic realm="r"', chosen: 0, why: "Digest over a later Basic" },
  {
    field: 'Digest realm="r", nonce="1", algorithm=MD5, dIgEsT realm="r", nonce="2", algorithm=sha-256',
    chosen: 1,
    why: "SHA-256 over MD5, case-insensitively",
  },
  {
    field:
      'Digest realm="r", nonce="1", algorithm=SHA-256-sess, qop=auth, Digest realm="r", nonce="2", algorithm=SHA-256',
    chosen: 0,
    why: "SHA-256-sess and SHA-256 rank the same: the first wins",
  },
  {
    field: 'Digest realm="r", nonce="1", algorithm=MD5-sess, qop=auth, Digest realm="r", nonce="2"',
    chosen: 0,
    why: "MD5-sess and MD5 rank the same: the first wins",
  },
  {
    field: 'Digest realm="r", nonce="1", algorithm=SHA-512-256, Basic realm="r"',
    chosen: 1,
    why: "an unsupported Digest algorithm is skipped",
  },
  {
    field: 'Digest realm="r", nonce="1", qop="auth-int", Basic realm="r"',
    chosen: 1,
    why: "Digest offering only auth-int is skipped",
  },
  { field: 'Digest realm="r", Basic realm="r"', chosen: 1, why: "Digest without nonce is skipped" },
  { field: 'Digest nonce="n", Basic realm="r"', chosen: 1, why: "Digest without realm is skipped" },
  { field: "Digest abc==, Basic", chosen: 1, why: "Digest as token68 is skipped" },
  {
    field: 'Digest realm="r", nonce="n", algorithm=MD5-sess, Basic',
    chosen: 1,
    why: "MD5-sess without qop is skipped",
  },
  { field: 'Negotiate, NTLM, Bearer realm="r", Mutual x=1', chosen: undefined, why: "unknown schemes only" },
  { field: 'Negotiate, Basic realm="r", NTLM', chosen: 1, why: "unknown schemes skipped around Basic" },
  { field: "", chosen: undefined, why: "nothing offered" },
];

for (const { field, chosen, why } of choices) {
  Deno.test(`chooseAuthChallenge: ${why}`, () => {
    const challenges = parseAuthChallenges(field);
    assert.equal(chooseAuthChallenge(challenges), chosen === undefined ? undefined : challenges[chosen]);
  });
}

const tokenArbitrary = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,8}$/);
const quotableArbitrary = fc.string({
  maxLength: 12,
  unit: fc.constantFrom(...' \t!"#,=\\az\u00e9\u20ac'.split("")),
});

Deno.test("parseAuthChallenges: formatting any challenges and parsing them back gives them again (property)", () => {
  const challengeArbitrary = fc.record({
    scheme: tokenArbitrary,
    params: fc.uniqueArray(fc.tuple(tokenArbitrary.map((name) => name.toLowerCase()), quotableArbitrary), {
      maxLength: 4,
      selector: ([name]) => name,
    }),
  });
  fc.assert(
    fc.property(fc.array(challengeArbitrary, { maxLength: 4 }), fc.boolean(), (challenges, oneField) => {
      const formatted = challenges.map(({ scheme, params }) =>
        [scheme, params.map(([name, value]) => `${name}="${value.replace(/["\\]/g, "\\$&")}"`).join(", ")]
          .filter((part) => part !== "").join(" ")
      );
      const expected = challenges.map(({ scheme, params }) => c(scheme, Object.fromEntries(params)));
      assert.deepEqual(parseAuthChallenges(oneField ? formatted.join(", ") : formatted), expected);
    }),
    { seed: 9110, numRuns: 300 },
  );
});

Deno.test("parseAuthChallenges: any text either parses or throws a SyntaxError (property)", () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 40, unit: fc.constantFrom(...' \t,="\\aB1/+\x00\u00e9'.split("")) }),
      (text) => {
        try {
          parseAuthChallenges(text);
        } catch (error) {
          assert.ok(error instanceof SyntaxError, String(error));
          assert.match(error.message, /^Cannot parse challenge ".*": .+ at offset \d+$/s);
        }
      },
    ),
    { seed: 7235, numRuns: 500 },
  );
});
