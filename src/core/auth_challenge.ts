/**
 * Authentication challenges: the `WWW-Authenticate` and `Proxy-Authenticate`
 * fields parsed into {@linkcode AuthChallenge}s (RFC 9110 §11.6.1, §11.7.1),
 * and the strongest one netreply can answer chosen
 * ({@linkcode chooseAuthChallenge}).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { chooseAuthChallenge, parseAuthChallenges } from "./auth_challenge.ts";
 * const challenges = parseAuthChallenges(['Basic realm="api"', 'Digest realm="api", nonce="n1"']);
 * equal(challenges.length, 2);
 * equal(chooseAuthChallenge(challenges)?.scheme, "Digest");
 * ```
 *
 * @module
 */

import { parseDigestChallenge } from "./digest_auth.ts";

/** One challenge: `scheme` with either auth-params or a token68 (RFC 9110 §11.2). */
export interface AuthChallenge {
  /** The auth-scheme as the server spelled it, e.g. `"Digest"`; compare it case-insensitively (RFC 9110 §11.1). */
  readonly scheme: string;
  /** The auth-params by lower-case name (RFC 9110 §11.2), quoted-string values unescaped. */
  readonly params: Readonly<Record<string, string>>;
  /** The token68 form's credentials-like value (RFC 9110 §11.2), e.g. for Negotiate. */
  readonly token68?: string;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;
const OWS = /[ \t]*/y;

/**
 * Every challenge of one or more `WWW-Authenticate` / `Proxy-Authenticate`
 * field values, in order (RFC 9110 §11.6.1: a field holds a list of
 * challenges, and the field may be repeated). Parameter names are
 * lower-cased; a quoted-string value is unescaped, so commas inside quotes
 * stay in the value.
 *
 * Lenient where RFC 9110 §5.6.1 asks recipients to be (empty list elements
 * are skipped) and in one place more: a tab counts as the space after the
 * scheme. Anything else malformed — no `=` after a parameter name, an
 * unterminated quoted-string, a control character, a parameter named twice
 * in one challenge (RFC 9110 §11.2) — is a SyntaxError naming the field and
 * the offset.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseAuthChallenges } from "./auth_challenge.ts";
 * const [bearer, negotiate] = parseAuthChallenges('Bearer realm="a, b", error=invalid_token, Negotiate YII=');
 * equal(bearer.params.realm, "a, b");
 * equal(bearer.params.error, "invalid_token");
 * equal(negotiate.token68, "YII=");
 * try {
 *   parseAuthChallenges('Basic realm="x');
 * } catch (error) {
 *   equal((error as Error).message, "Cannot parse challenge \"Basic realm=\\\"x\": unterminated quoted-string at offset 14");
 * }
 * ```
 */
export function parseAuthChallenges(fieldValues: string | readonly string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const field of typeof fieldValues === "string" ? [fieldValues] : fieldValues) {
    new ChallengeListParser(field).parseInto(challenges);
  }
  return challenges;
}

/**
 * The strongest challenge netreply can answer, or `undefined` when none:
 * Digest with SHA-256 or SHA-256-sess, then Digest with MD5 or MD5-sess
 * (also when no algorithm is named, RFC 7616 §3.3), then Basic (RFC 7617).
 * Among equals the first offered wins (RFC 7616 §3.7). Unknown schemes are
 * skipped, and so is a Digest challenge that cannot be answered (no realm
 * or nonce, another algorithm, only `qop=auth-int`; see
 * {@linkcode parseDigestChallenge}). Scheme names compare case-insensitively.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { chooseAuthChallenge, parseAuthChallenges } from "./auth_challenge.ts";
 * const offered = parseAuthChallenges(
 *   'Negotiate, basic realm="r", Digest realm="r", nonce="1", algorithm=SHA-256, Digest realm="r", nonce="2"',
 * );
 * equal(chooseAuthChallenge(offered)?.params.algorithm, "SHA-256");
 * equal(chooseAuthChallenge(offered.slice(0, 2))?.scheme, "basic");
 * equal(chooseAuthChallenge(offered.slice(0, 1)), undefined);
 * ```
 */
export function chooseAuthChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  let best: AuthChallenge | undefined;
  let bestStrength = 0;
  for (const challenge of challenges) {
    const strength = strengthOf(challenge);
    if (strength > bestStrength) {
      best = challenge;
      bestStrength = strength;
    }
  }
  return best;
}

/** 0 for a challenge netreply cannot answer; higher is stronger. */
function strengthOf(challenge: AuthChallenge): number {
  switch (challenge.scheme.toLowerCase()) {
    case "basic":
      return 1;
    case "digest": {
      let algorithm: string;
      try {
        algorithm = parseDigestChallenge(challenge).algorithm ?? "MD5";
      } catch {
        return 0;
      }
      return algorithm.startsWith("SHA-256") ? 3 : 2;
    }
    default:
      return 0;
  }
}

/** A cursor over one field value with the grammar of RFC 9110 §11.6.1, §11.2 and §5.6. */
class ChallengeListParser {
  readonly #field: string;
  #pos = 0;

  constructor(field: string) {
    this.#field = field;
  }

  /** `#challenge`: challenges separated by commas, empty elements allowed (RFC 9110 §5.6.1). */
  parseInto(challenges: AuthChallenge[]): void {
    for (;;) {
      this.#skipListSeparators();
      if (this.#atEnd()) return;
      challenges.push(this.#challenge());
    }
  }

  /** `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, ending before its list comma. */
  #challenge(): AuthChallenge {
    const scheme = this.#match(TOKEN) ?? this.#fail("expected an auth-scheme");
    const afterScheme = this.#pos;
    this.#match(OWS);
    if (this.#atEnd() || this.#peek() === ",") return { scheme, params: {} };
    if (this.#pos === afterScheme) this.#fail(`expected a space after auth-scheme "${scheme}"`);
    const start = this.#pos;
    const token68 = this.#match(TOKEN68);
    if (token68 !== undefined && this.#atChallengeEnd()) {
      // "x=, y=1" reads as a token68 and a challenge "y=1" that cannot be; auth-params say what is wrong.
      if (this.#atEnd() || !this.#nextElementIsParam()) return { scheme, params: {}, token68 };
    }
    this.#pos = start;
    return { scheme, params: this.#params() };
  }

  /** `#auth-param` of one challenge; stops before a comma that starts the next challenge. */
  #params(): Record<string, string> {
    const params = new Map<string, string>();
    for (;;) {
      const nameAt = this.#pos;
      const name = this.#match(TOKEN) ?? this.#fail("expected an auth-param name");
      this.#match(OWS);
      if (this.#peek() !== "=") this.#fail(`expected "=" after parameter "${name}"`);
      this.#pos++;
      this.#match(OWS);
      const value = this.#peek() === '"'
        ? this.#quotedString()
        : this.#match(TOKEN) ?? this.#fail(`expected a token or quoted-string for parameter "${name}"`);
      const key = name.toLowerCase();
      if (params.has(key)) {
        this.#pos = nameAt;
        this.#fail(`parameter "${key}" given twice`);
      }
      params.set(key, value);
      this.#match(OWS);
      if (this.#atEnd()) break;
      if (this.#peek() !== ",") this.#fail(`expected "," after parameter "${name}"`);
      if (!this.#nextElementIsParam()) break;
    }
    // Object.fromEntries defines own properties, so a parameter named "__proto__" stays a parameter.
    return Object.fromEntries(params);
  }

  /**
   * At a comma: whether the next non-empty list element is `token BWS "="`,
   * an auth-param of this challenge (a new challenge's scheme is followed by
   * a space, a comma or the end). Leaves the cursor before that element if
   * so, else where it was.
   */
  #nextElementIsParam(): boolean {
    const comma = this.#pos;
    this.#skipListSeparators();
    const element = this.#pos;
    const isParam = this.#match(TOKEN) !== undefined && (this.#match(OWS), this.#peek() === "=");
    this.#pos = isParam ? element : comma;
    return isParam;
  }

  /** `quoted-string` (RFC 9110 §5.6.4), unescaped; the cursor is on the opening quote. */
  #quotedString(): string {
    this.#pos++;
    let value = "";
    while (!this.#atEnd()) {
      let char = this.#peek();
      if (char === '"') {
        this.#pos++;
        return value;
      }
      if (char === "\\") {
        this.#pos++;
        if (this.#atEnd()) break;
        char = this.#peek();
      }
      const code = char.charCodeAt(0);
      if (code !== 0x09 && (code < 0x20 || code === 0x7f)) {
        this.#fail(
          `control character U+${code.toString(16).toUpperCase().padStart(4, "0")} in a quoted-string`,
        );
      }
      value += char;
      this.#pos++;
    }
    return this.#fail("unterminated quoted-string");
  }

  /** Skips OWS; true (leaving the cursor there) if the challenge ends: end of field or a comma. */
  #atChallengeEnd(): boolean {
    const before = this.#pos;
    this.#match(OWS);
    if (this.#atEnd() || this.#peek() === ",") return true;
    this.#pos = before;
    return false;
  }

  #skipListSeparators(): void {
    for (;;) {
      this.#match(OWS);
      if (this.#peek() !== ",") return;
      this.#pos++;
    }
  }

  #match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#pos;
    const found = pattern.exec(this.#field);
    if (found === null) return undefined;
    this.#pos += found[0].length;
    return found[0];
  }

  #peek(): string {
    return this.#field[this.#pos] ?? "";
  }

  #atEnd(): boolean {
    return this.#pos >= this.#field.length;
  }

  #fail(problem: string): never {
    throw new SyntaxError(
      `Cannot parse challenge ${JSON.stringify(this.#field)}: ${problem} at offset ${this.#pos}`,
    );
  }
}
