/**
 * Fuzzing of the WWW-Authenticate / Proxy-Authenticate parser
 * (src/core/auth_challenge.ts, RFC 9110 §11.6.1): any field value gives
 * challenges or a SyntaxError naming the field and the offset (its known
 * error), never another exception, and chooseAuthChallenge takes whatever it
 * gives; generated challenges (auth-params with token or quoted values,
 * token68, any list noise) read back as themselves.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type AuthChallenge,
  chooseAuthChallenge,
  parseAuthChallenges,
} from "../../src/core/auth_challenge.ts";
import { fuzzParameters, nearGrammar, token, withinHangLimit } from "./_fuzz.ts";

const SAMPLES = [
  'Basic realm="api", charset="UTF-8"',
  'Digest realm="r", nonce="n1", qop="auth,auth-int", algorithm=SHA-256, opaque="o"',
  "Negotiate YIIC==, NTLM",
  'Bearer realm="a, b", error=invalid_token, error_description="x\\"y"',
  ", , Basic realm=x,",
];
const fieldValue = nearGrammar(SAMPLES, ' \t,="\\aB1/+=realmnonceDigestBasic', 80);

Deno.test("fuzz WWW-Authenticate: any field gives challenges or a SyntaxError naming the field and offset", () => {
  fc.assert(
    fc.property(
      fc.oneof(fieldValue, fc.array(fieldValue, { maxLength: 3 })),
      withinHangLimit((fields) => {
        let challenges: AuthChallenge[];
        try {
          challenges = parseAuthChallenges(fields);
        } catch (error) {
          assert.ok(error instanceof SyntaxError, String(error));
          assert.match(error.message, /^Cannot parse challenge ".*": .+ at offset \d+$/s);
          return;
        }
        for (const challenge of challenges) {
          assert.match(challenge.scheme, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
          for (const name of Object.keys(challenge.params)) assert.match(name, /^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
        }
        const chosen = chooseAuthChallenge(challenges);
        assert.ok(chosen === undefined || challenges.includes(chosen));
      }),
    ),
    fuzzParameters(0x7235, 14_000),
  );
});

const ows = fc.constantFrom("", " ", "\t ");
const quotable = fc.string({ unit: fc.constantFrom(...' \t!#,="\\az09\u00e9\u20ac'), maxLength: 12 });
const param = fc.tuple(token(10), fc.oneof(token(10), quotable), fc.boolean(), ows, ows);
const challenge = fc.oneof(
  fc.record({
    scheme: token(10),
    params: fc.uniqueArray(param, { minLength: 1, maxLength: 4, selector: ([name]) => name.toLowerCase() }),
  }).map(({ scheme, params }) => ({
    text: `${scheme} ${
      params.map(([name, value, quote, before, after]) => {
        const written = quote || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)
          ? `"${value.replace(/["\\]/g, "\\$&")}"`
          : value;
        return `${name}${before}=${after}${written}`;
      }).join(", ")
    }`,
    parsed: {
      scheme,
      params: Object.fromEntries(params.map(([name, value]) => [name.toLowerCase(), value])),
    },
  })),
  fc.tuple(token(10), fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,16}={0,2}$/)).map(([scheme, token68]) => ({
    text: `${scheme} ${token68}`,
    parsed: { scheme, params: {}, token68 },
  })),
  token(10).map((scheme) => ({ text: scheme, parsed: { scheme, params: {} } })),
);

Deno.test("fuzz WWW-Authenticate: generated challenges read back as themselves, in one field or several", () => {
  fc.assert(
    fc.property(
      fc.array(challenge, { maxLength: 5 }),
      fc.constantFrom(", ", ",", " ,\t", ", , "),
      fc.boolean(),
      withinHangLimit((challenges, separator, oneField) => {
        const texts = challenges.map((c) => c.text);
        const parsed = parseAuthChallenges(oneField ? texts.join(separator) : texts);
        assert.deepEqual(parsed, challenges.map((c) => c.parsed));
      }),
    ),
    fuzzParameters(0x9110, 6_000),
  );
});
