import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { parseAuthChallenges } from "../../src/core/auth_challenge.ts";
import {
  DIGEST_ALGORITHMS,
  digestAuthorization,
  type DigestAuthorizationInit,
  type DigestChallenge,
  DigestNonceCounter,
  parseDigestChallenge,
} from "../../src/core/digest_auth.ts";

/** The challenge of a WWW-Authenticate field value. */
function challengeOf(field: string): DigestChallenge {
  return parseDigestChallenge(parseAuthChallenges(field)[0]);
}

/** The parameters of an Authorization value, through the challenge parser (same grammar). */
function paramsOf(authorization: string): Record<string, string> {
  const [parsed] = parseAuthChallenges(authorization);
  assert.equal(parsed.scheme, "Digest");
  return { ...parsed.params };
}

// RFC 7616 §3.9.1
const rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
const rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
const rfc7616Challenge = (algorithm: string) =>
  challengeOf(
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${rfc7616Nonce}", opaque="${rfc7616Opaque}"`,
  );
const mufasa = { user: "Mufasa", method: "GET", uri: "/dir/index.html" };

for (
  const [algorithm, response] of [
    ["MD5", "8ca523f5e9506fed4657c9700eebdbec"],
    ["SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"],
  ]
) {
  Deno.test(`digestAuthorization: RFC 7616 §3.9.1's ${algorithm} example, the whole header value`, async () => {
    const value = await digestAuthorization({
      ...mufasa,
      password: "Circle of Life",
      challenge: rfc7616Challenge(algorithm),
      nc: 1,
      cnonce: rfc7616Cnonce,
    });
    assert.equal(
      value,
      `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=${algorithm}, ` +
        `nonce="${rfc7616Nonce}", nc=00000001, cnonce="${rfc7616Cnonce}", qop=auth, response="${response}", ` +
        `opaque="${rfc7616Opaque}"`,
    );
  });
}

Deno.test("digestAuthorization: RFC 2617 §3.5's example (qop=auth, no algorithm)", async () => {
  const challenge = challengeOf(
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
      'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  );
  const value = await digestAuthorization({
    ...mufasa,
    password: "Circle Of Life",
    challenge,
    nc: 1,
    cnonce: "0a4f113b",
  });
  assert.deepEqual(paramsOf(value), {
    username: "Mufasa",
    realm: "testrealm@host.com",
    nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
    uri: "/dir/index.html",
    qop: "auth",
    nc: "00000001",
    cnonce: "0a4f113b",
    response: "6629fae49393a05397450978507c4ef1",
    opaque: "5ccc069c403ebaf9f0171e9517f40e41",
  });
});

function nodeHex(algorithm: "md5" | "sha256", text: string): string {
  return createHash(algorithm).update(text, "utf8").digest("hex");
}

/** RFC 7616 §3.4.1-§3.4.3 written out with node:crypto, as an independent check. */
function expectedResponse(
  algorithm: string,
  init: { user: string; password: string; method: string; uri: string; nc?: string; cnonce?: string },
  challenge: { realm: string; nonce: string; qop?: string },
): string {
  const h = (text: string) => nodeHex(algorithm.startsWith("SHA-256") ? "sha256" : "md5", text);
  let ha1 = h(`${init.user}:${challenge.realm}:${init.password}`);
  if (algorithm.endsWith("-sess")) ha1 = h(`${ha1}:${challenge.nonce}:${init.cnonce}`);
  const ha2 = h(`${init.method}:${init.uri}`);
  return challenge.qop === undefined
    ? h(`${ha1}:${challenge.nonce}:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${init.nc}:${init.cnonce}:${challenge.qop}:${ha2}`);
}

for (const algorithm of DIGEST_ALGORITHMS) {
  Deno.test(`digestAuthorization: ${algorithm} with qop=auth matches RFC 7616 §3.4 computed independently`, async () => {
    const challenge = challengeOf(`Digest realm="r@h", nonce="abc123", qop=auth, algorithm=${algorithm}`);
    const value = await digestAuthorization({
      user: "J\u00e4s\u00f8n Doe",
      password: "Secret, or not?",
      method: "POST",
      uri: "/doe.json?x=1",
      challenge,
      nc: 0x1f,
      cnonce: "NTg6RKcb",
    });
    const params = paramsOf(value);
    assert.equal(params.algorithm, algorithm);
    assert.equal(params.nc, "0000001f");
    assert.equal(
      params.response,
      expectedResponse(
        algorithm,
        {
          user: "J\u00e4s\u00f8n Doe",
          password: "Secret, or not?",
          method: "POST",
          uri: "/doe.json?x=1",
          nc: "0000001f",
          cnonce: "NTg6RKcb",
        },
        { realm: "r@h", nonce: "abc123", qop: "auth" },
      ),
    );
  });
}

Deno.test("digestAuthorization: an RFC 2069 server (no qop) gets no nc, cnonce or qop", async () => {
  const challenge = challengeOf(
    'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
  );
  assert.equal(challenge.qop, undefined);
  const value = await digestAuthorization({
    ...mufasa,
    password: "Circle Of Life",
    challenge,
    nc: 7,
    cnonce: "ignored",
  });
  const response = expectedResponse("MD5", { ...mufasa, password: "Circle Of Life" }, challenge);
  assert.equal(response, "670fd8c2df070c60b045671b8b24ff02");
  assert.equal(
    value,
    'Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", ' +
      `nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", response="${response}"`,
  );
});

Deno.test("digestAuthorization: an RFC 2069 server with algorithm=SHA-256 and no qop", async () => {
  const challenge = challengeOf('Digest realm="r", nonce="n", algorithm=SHA-256, opaque="o"');
  const value = await digestAuthorization({ user: "u", password: "p", method: "GET", uri: "/", challenge });
  assert.deepEqual(paramsOf(value), {
    username: "u",
    realm: "r",
    uri: "/",
    algorithm: "SHA-256",
    nonce: "n",
    response: expectedResponse("SHA-256", { user: "u", password: "p", method: "GET", uri: "/" }, challenge),
    opaque: "o",
  });
});

Deno.test("digestAuthorization: without a cnonce, a random 32-hex-digit one, different each time", async () => {
  const init: DigestAuthorizationInit = {
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
    challenge: challengeOf('Digest realm="r", nonce="n", qop=auth'),
  };
  const first = paramsOf(await digestAuthorization(init));
  const second = paramsOf(await digestAuthorization(init));
  assert.match(first.cnonce, /^[0-9a-f]{32}$/);
  assert.notEqual(first.cnonce, second.cnonce);
  assert.equal(first.nc, "00000001", "nc defaults to 1");
  assert.equal(
    first.response,
    expectedResponse("MD5", { ...init, nc: "00000001", cnonce: first.cnonce }, {
      realm: "r",
      nonce: "n",
      qop: "auth",
    }),
  );
});

Deno.test("digestAuthorization: userhash=false when the server offers user hashing", async () => {
  const challenge = challengeOf('Digest realm="r", nonce="n", qop=auth, userhash=true');
  assert.equal(challenge.userhash, true);
  const value = await digestAuthorization({
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    cnonce: "c",
  });
  assert.match(value, /, userhash=false$/);
  assert.equal(paramsOf(value).username, "u");
});

Deno.test("digestAuthorization: quotes and backslashes in quoted values are escaped", async () => {
  const challenge = challengeOf('Digest realm="a \\"q\\" \\\\ b", nonce="n\\"1", opaque="o\\\\", qop=auth');
  assert.equal(challenge.realm, 'a "q" \\ b');
  const value = await digestAuthorization({
    user: 'me "x"',
    password: "p",
    method: "GET",
    uri: '/a"b',
    challenge,
    cnonce: 'c"\\',
  });
  assert.ok(
    value.startsWith('Digest username="me \\"x\\"", realm="a \\"q\\" \\\\ b", uri="/a\\"b", nonce="n\\"1"'),
  );
  const params = paramsOf(value);
  assert.equal(params.username, 'me "x"');
  assert.equal(params.realm, 'a "q" \\ b');
  assert.equal(params.cnonce, 'c"\\');
  assert.equal(params.opaque, "o\\");
  assert.equal(
    params.response,
    expectedResponse("MD5", {
      user: 'me "x"',
      password: "p",
      method: "GET",
      uri: '/a"b',
      nc: "00000001",
      cnonce: 'c"\\',
    }, {
      realm: 'a "q" \\ b',
      nonce: 'n"1',
      qop: "auth",
    }),
  );
});

Deno.test("digestAuthorization: a user name beyond printable ASCII goes as username* (RFC 8187), hashed as UTF-8", async () => {
  const challenge = challengeOf('Digest realm="r", nonce="n", qop=auth');
  const user = "J\u00e4s\u00f8n (Doe)*'";
  const value = await digestAuthorization({
    user,
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    cnonce: "c",
  });
  assert.ok(value.startsWith("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20%28Doe%29%2A%27, realm="), value);
  assert.equal(paramsOf(value).username, undefined);
  assert.equal(
    paramsOf(value).response,
    expectedResponse("MD5", { user, password: "p", method: "GET", uri: "/", nc: "00000001", cnonce: "c" }, {
      realm: "r",
      nonce: "n",
      qop: "auth",
    }),
  );
  const withTab = await digestAuthorization({
    user: "a\tb",
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    cnonce: "c",
  });
  assert.ok(withTab.startsWith("Digest username*=UTF-8''a%09b, "), withTab);
  const loneSurrogate = await digestAuthorization({
    user: "\ud800",
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    cnonce: "c",
  });
  assert.ok(loneSurrogate.startsWith("Digest username*=UTF-8''%EF%BF%BD, "), loneSurrogate);
});

Deno.test("digestAuthorization: the password may hold anything, it is only hashed", async () => {
  const challenge = challengeOf('Digest realm="r", nonce="n", qop=auth');
  const password = 'a"\\\r\n\x00\u00e9';
  const value = await digestAuthorization({
    user: "u",
    password,
    method: "GET",
    uri: "/",
    challenge,
    cnonce: "c",
  });
  assert.equal(
    paramsOf(value).response,
    expectedResponse("MD5", { user: "u", password, method: "GET", uri: "/", nc: "00000001", cnonce: "c" }, {
      realm: "r",
      nonce: "n",
      qop: "auth",
    }),
  );
});

const refusals: {
  init: Partial<DigestAuthorizationInit>;
  error: { name: string; message: string };
  why: string;
}[] = [
  {
    init: { method: "GE T" },
    error: { name: "TypeError", message: 'Cannot answer Digest challenge: method "GE T" is not a token' },
    why: "a method that is not a token",
  },
  {
    init: { method: "" },
    error: { name: "TypeError", message: 'Cannot answer Digest challenge: method "" is not a token' },
    why: "an empty method",
  },
  {
    init: { uri: "/a\r\nX-Evil: 1" },
    error: {
      name: "TypeError",
      message: "Cannot answer Digest challenge: uri contains control character U+000D",
    },
    why: "CR LF in the uri",
  },
  {
    init: { cnonce: "c\n" },
    error: {
      name: "TypeError",
      message: "Cannot answer Digest challenge: cnonce contains control character U+000A",
    },
    why: "LF in the cnonce",
  },
  {
    init: { challenge: { realm: "r", nonce: "n\x00", stale: false, userhash: false } },
    error: {
      name: "TypeError",
      message: "Cannot answer Digest challenge: nonce contains control character U+0000",
    },
    why: "NUL in the nonce",
  },
  {
    init: { challenge: { realm: "r\x7f", nonce: "n", stale: false, userhash: false } },
    error: {
      name: "TypeError",
      message: "Cannot answer Digest challenge: realm contains control character U+007F",
    },
    why: "DEL in the realm",
  },
  {
    init: { challenge: { realm: "r", nonce: "n", opaque: "\x1b", stale: false, userhash: false } },
    error: {
      name: "TypeError",
      message: "Cannot answer Digest challenge: opaque contains control character U+001B",
    },
    why: "ESC in the opaque",
  },
  {
    init: { nc: 0 },
    error: {
      name: "RangeError",
      message: "Cannot answer Digest challenge: nc must be an integer from 1 to 0xffffffff, got 0",
    },
    why: "nc 0",
  },
  {
    init: { nc: 0x100000000 },
    error: {
      name: "RangeError",
      message: "Cannot answer Digest challenge: nc must be an integer from 1 to 0xffffffff, got 4294967296",
    },
    why: "nc above 8 hex digits",
  },
  {
    init: { nc: 1.5 },
    error: {
      name: "RangeError",
      message: "Cannot answer Digest challenge: nc must be an integer from 1 to 0xffffffff, got 1.5",
    },
    why: "a fractional nc",
  },
];

for (const { init, error, why } of refusals) {
  Deno.test(`digestAuthorization: refuses ${why}`, async () => {
    const base: DigestAuthorizationInit = {
      user: "u",
      password: "p",
      method: "GET",
      uri: "/",
      challenge: { realm: "r", nonce: "n", qop: "auth", stale: false, userhash: false },
      cnonce: "c",
    };
    await assert.rejects(digestAuthorization({ ...base, ...init }), error);
  });
}

Deno.test("digestAuthorization: nc is unused, so unchecked, without qop", async () => {
  const challenge: DigestChallenge = { realm: "r", nonce: "n", stale: false, userhash: false };
  const value = await digestAuthorization({
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    nc: 0,
  });
  assert.equal(paramsOf(value).nc, undefined);
});

Deno.test("digestAuthorization: nc 0xffffffff is ffffffff", async () => {
  const challenge: DigestChallenge = { realm: "r", nonce: "n", qop: "auth", stale: false, userhash: false };
  const value = await digestAuthorization({
    user: "u",
    password: "p",
    method: "GET",
    uri: "/",
    challenge,
    nc: 0xffffffff,
    cnonce: "c",
  });
  assert.equal(paramsOf(value).nc, "ffffffff");
});

const challengeReadings: { field: string; challenge: DigestChallenge; why: string }[] = [
  {
    field: 'Digest realm="r", nonce="n"',
    challenge: { realm: "r", nonce: "n", stale: false, userhash: false },
    why: "realm and nonce only (RFC 2069)",
  },
  {
    field:
      'Digest realm="r", nonce="n", qop="auth-int, auth", algorithm=md5-SESS, opaque="o", stale=TRUE, userhash=True',
    challenge: {
      realm: "r",
      nonce: "n",
      qop: "auth",
      algorithm: "MD5-sess",
      opaque: "o",
      stale: true,
      userhash: true,
    },
    why: "everything, with loose case",
  },
  {
    field: 'Digest realm="", nonce="", qop=auth, stale=false, userhash=false, domain="/a /b", charset=UTF-8',
    challenge: { realm: "", nonce: "", qop: "auth", stale: false, userhash: false },
    why: "empty realm and nonce, false flags, unused domain and charset",
  },
  {
    field: 'Digest realm="r", nonce="n", qop=" auth ,auth-int", stale=yes',
    challenge: { realm: "r", nonce: "n", qop: "auth", stale: false, userhash: false },
    why: "spaces in the qop list; a stale that is not true",
  },
  {
    field: 'Digest realm="r", nonce="n", algorithm=SHA-256-SESS, qop=AUTH',
    challenge: {
      realm: "r",
      nonce: "n",
      qop: "auth",
      algorithm: "SHA-256-sess",
      stale: false,
      userhash: false,
    },
    why: "SHA-256-sess and an upper-case qop",
  },
];

for (const { field, challenge, why } of challengeReadings) {
  Deno.test(`parseDigestChallenge: ${why}`, () => {
    assert.deepEqual(challengeOf(field), challenge);
  });
}

const challengeRefusals: { field: string; message: string; why: string }[] = [
  {
    field: 'Basic realm="r"',
    message: 'Cannot answer Digest challenge for realm "r": the scheme is "Basic"',
    why: "Basic",
  },
  {
    field: 'Digest nonce="n"',
    message: 'Cannot answer Digest challenge: it has no "realm"',
    why: "no realm",
  },
  {
    field: 'Digest realm="r"',
    message: 'Cannot answer Digest challenge for realm "r": it has no "nonce"',
    why: "no nonce",
  },
  { field: "Digest abc==", message: 'Cannot answer Digest challenge: it has no "realm"', why: "a token68" },
  {
    field: 'Digest realm="r", nonce="n", algorithm=SHA-512-256',
    message:
      'Cannot answer Digest challenge for realm "r": algorithm "SHA-512-256" is not one of MD5, MD5-sess, SHA-256, SHA-256-sess',
    why: "SHA-512-256",
  },
  {
    field: 'Digest realm="r", nonce="n", algorithm=""',
    message:
      'Cannot answer Digest challenge for realm "r": algorithm "" is not one of MD5, MD5-sess, SHA-256, SHA-256-sess',
    why: "an empty algorithm",
  },
  {
    field: 'Digest realm="r", nonce="n", qop="auth-int"',
    message: 'Cannot answer Digest challenge for realm "r": qop "auth-int" does not offer "auth"',
    why: "only auth-int",
  },
  {
    field: 'Digest realm="r", nonce="n", qop="authentication"',
    message: 'Cannot answer Digest challenge for realm "r": qop "authentication" does not offer "auth"',
    why: "a qop that only starts with auth",
  },
  {
    field: 'Digest realm="r", nonce="n", algorithm=MD5-sess',
    message: 'Cannot answer Digest challenge for realm "r": algorithm MD5-sess needs qop to send a cnonce',
    why: "MD5-sess without qop",
  },
  {
    field: 'Digest realm="r", nonce="n", algorithm=sha-256-sess',
    message:
      'Cannot answer Digest challenge for realm "r": algorithm SHA-256-sess needs qop to send a cnonce',
    why: "SHA-256-sess without qop",
  },
];

for (const { field, message, why } of challengeRefusals) {
  Deno.test(`parseDigestChallenge: TypeError for ${why}`, () => {
    assert.throws(() => challengeOf(field), { name: "TypeError", message });
  });
}

Deno.test("DigestNonceCounter: counts per nonce from 1, new nonces start again", () => {
  const counter = new DigestNonceCounter();
  assert.deepEqual(
    ["a", "a", "b", "a", "b", "c"].map((nonce) => counter.next(nonce)),
    [1, 2, 1, 3, 2, 1],
  );
  counter.clear();
  assert.equal(counter.next("a"), 1);
});

Deno.test("DigestNonceCounter: beyond its limit the least recently used nonce is forgotten", () => {
  const counter = new DigestNonceCounter(2);
  counter.next("a");
  counter.next("b");
  counter.next("a"); // "b" is now the least recently used
  counter.next("c");
  assert.equal(counter.next("a"), 3);
  assert.equal(counter.next("b"), 1);
});

for (const limit of [0, -1, 1.5, Number.NaN]) {
  Deno.test(`DigestNonceCounter: RangeError for limit ${limit}`, () => {
    assert.throws(() => new DigestNonceCounter(limit), {
      name: "RangeError",
      message: `Cannot create DigestNonceCounter: limit must be a positive integer, got ${limit}`,
    });
  });
}

Deno.test("digestAuthorization: any credentials and challenge give a response matching node:crypto (property)", async () => {
  const quotable = fc.string({
    maxLength: 10,
    unit: fc.constantFrom(...'aZ09 !"\\:@/\u00e9\u20ac'.split("")),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        algorithm: fc.constantFrom(...DIGEST_ALGORITHMS),
        qop: fc.boolean(),
        user: quotable,
        password: fc.string({ maxLength: 10 }),
        realm: quotable,
        nonce: quotable,
        uri: quotable,
        nc: fc.integer({ min: 1, max: 0xffffffff }),
        cnonce: quotable,
      }),
      async ({ algorithm, qop, user, password, realm, nonce, uri, nc, cnonce }) => {
        const sess = algorithm.endsWith("-sess");
        const challenge: DigestChallenge = {
          realm,
          nonce,
          algorithm,
          ...(qop || sess ? { qop: "auth" as const } : {}),
          stale: false,
          userhash: false,
        };
        const value = await digestAuthorization({
          challenge,
          user,
          password,
          method: "GET",
          uri,
          nc,
          cnonce,
        });
        const params = paramsOf(value);
        const ncText = nc.toString(16).padStart(8, "0");
        assert.equal(
          params.response,
          expectedResponse(algorithm, {
            user,
            password: password.toWellFormed(),
            method: "GET",
            uri,
            nc: ncText,
            cnonce,
          }, challenge),
        );
        assert.equal(params.realm, realm);
        assert.equal(params.nonce, nonce);
        assert.equal(params.uri, uri);
      },
    ),
    { seed: 7616, numRuns: 150 },
  );
});
