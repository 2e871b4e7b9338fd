/**
 * {@linkcode certificateChainErrors}: every {@linkcode SslError} a peer's
 * certificate chain deserves, the way Qt reports them through OpenSSL; and
 * {@linkcode hostNameMatches}, the RFC 6125 name check.
 *
 * Pure: the caller (a socket opener) parses the certificates and decides
 * whether the chain reaches a trusted root; this module turns those facts
 * into Qt's `QSslError` list, each error with its certificate. Runtimes do
 * not do it for us: they stop at the first problem, and some name the wrong
 * one (an expired certificate can be reported as "unable to verify the first
 * certificate"), so validity dates are checked here.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { certificateChainErrors } from "./certificate_chain_errors.ts";
 * const leaf = {
 *   certificate: {
 *     subject: "CN=localhost", issuer: "CN=localhost", fingerprintSha256: "AA",
 *     validFrom: new Date("2020-01-01"), validTo: new Date("2020-02-01"),
 *   },
 *   dnsNames: ["localhost"], ipAddresses: [], selfIssued: true,
 * };
 * const errors = certificateChainErrors({ chain: [leaf], trusted: false, serverName: "localhost", now: new Date() });
 * deepEqual(errors.map((e) => e.message), [ "The certificate is self-signed, and untrusted", "The certificate has expired" ]);
 * ```
 *
 * @module
 */

import { type Certificate, SslError } from "./ssl.ts";
import { SslErrorKind } from "./ssl_error_kind.ts";

/** One certificate of the peer's chain, with the facts the checks need. */
export interface ChainCertificate {
  /** The certificate as the reply shows it. */
  readonly certificate: Certificate;
  /** subjectAltName DNS entries, e.g. `["localhost", "*.example.com"]`. */
  readonly dnsNames: readonly string[];
  /** subjectAltName IP entries as text, e.g. `["127.0.0.1", "::1"]`. */
  readonly ipAddresses: readonly string[];
  /** The subject's common name, used for the name check only when there are no subjectAltName entries. */
  readonly commonName?: string;
  /** Issued by itself (subject equals issuer and it verifies with its own key). */
  readonly selfIssued: boolean;
}

/** What is known about a handshake's chain. */
export interface ChainVerification {
  /** The chain as the peer sent it, leaf first (at least the leaf). */
  readonly chain: readonly ChainCertificate[];
  /** Whether the chain reaches a trusted root (a default root or one of the caller's CA certificates). */
  readonly trusted: boolean;
  /** The name the peer must prove: host name or IP address (IPv6 with or without brackets). */
  readonly serverName: string;
  /** The time to check validity dates against. */
  readonly now: Date;
}

function normalizeDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** An IP address in a comparable form (IPv6 expanded to eight groups), or null for a host name. */
function ipKey(text: string): string | null {
  const address = text.replace(/^\[|\]$/g, "").toLowerCase();
  if (IPV4.test(address)) return address.split(".").map(Number).join(".");
  if (!address.includes(":")) return null;
  let groups = address;
  const ipv4Tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(groups);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail[1].split(".").map(Number);
    const tail = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    groups = groups.slice(0, ipv4Tail.index) + tail;
  }
  const [head, rest] = groups.split("::");
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const all = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill("0"), ...restGroups];
  return all.length === 8 ? all.map((group) => parseInt(group, 16).toString(16)).join(":") : null;
}

/**
 * Whether a DNS pattern from a certificate matches a host name (RFC 6125
 * §6.4.3): case-insensitive; a wildcard only as the whole left-most label,
 * standing for exactly one label, and only with at least two labels after it.
 */
function dnsNameMatches(pattern: string, host: string): boolean {
  const wanted = normalizeDnsName(pattern);
  if (!wanted.startsWith("*.")) return wanted === host;
  const suffix = wanted.slice(1); // ".example.com"
  if (suffix.split(".").length < 3 || suffix.includes("*")) return false;
  const firstDot = host.indexOf(".");
  return firstDot > 0 && host.slice(firstDot) === suffix;
}

/**
 * Whether a certificate is valid for `serverName` (RFC 6125): an IP address
 * against the IP entries of subjectAltName, a host name against its DNS
 * entries (wildcards in the left-most label only); the common name counts
 * only when subjectAltName has no DNS or IP entry.
 *
 * @param certificate The leaf's names.
 * @param serverName The host name or IP address to verify.
 * @returns True when one entry matches.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { hostNameMatches } from "./certificate_chain_errors.ts";
 * const names = { dnsNames: ["*.example.com"], ipAddresses: ["::1"] };
 * equal(hostNameMatches(names, "www.example.com"), true);
 * equal(hostNameMatches(names, "a.b.example.com"), false);
 * equal(hostNameMatches(names, "[0:0::1]"), true);
 * ```
 */
export function hostNameMatches(
  certificate: Pick<ChainCertificate, "dnsNames" | "ipAddresses" | "commonName">,
  serverName: string,
): boolean {
  const ip = ipKey(serverName);
  const hasAltNames = certificate.dnsNames.length > 0 || certificate.ipAddresses.length > 0;
  if (ip !== null) {
    if (certificate.ipAddresses.some((entry) => ipKey(entry) === ip)) return true;
    return !hasAltNames && certificate.commonName !== undefined && ipKey(certificate.commonName) === ip;
  }
  const host = normalizeDnsName(serverName);
  if (hasAltNames) return certificate.dnsNames.some((pattern) => dnsNameMatches(pattern, host));
  return certificate.commonName !== undefined && dnsNameMatches(certificate.commonName, host);
}

/** OpenSSL's verdict when the chain stops short of a trusted root, about the certificate where it stops. */
function untrustedChainError(chain: readonly ChainCertificate[]): SslError {
  const top = chain[chain.length - 1];
  if (top.selfIssued) {
    return chain.length === 1
      ? new SslError(SslErrorKind.SelfSignedCertificate, top.certificate)
      : new SslError(SslErrorKind.SelfSignedCertificateInChain, top.certificate);
  }
  return chain.length === 1
    ? new SslError(SslErrorKind.UnableToVerifyFirstCertificate, top.certificate)
    : new SslError(SslErrorKind.UnableToGetLocalIssuerCertificate, top.certificate);
}

/**
 * Every error of a peer's chain, each with its certificate, in the order Qt
 * reports them: `HostNameMismatch` first (Qt checks the name itself before
 * it translates OpenSSL's list), then the chain's trust (the self-signed or
 * missing-issuer error OpenSSL raises while building the chain, about the
 * certificate where the chain stops), then each certificate's validity
 * dates, leaf first. An empty list means the chain is acceptable.
 *
 * Kinds follow OpenSSL's choices: a lone self-issued leaf is
 * `SelfSignedCertificate`, an untrusted self-issued root sent with the chain
 * `SelfSignedCertificateInChain`, a lone leaf from an unknown issuer
 * `UnableToVerifyFirstCertificate`, a longer chain from an unknown issuer
 * `UnableToGetLocalIssuerCertificate`.
 *
 * @param verification The chain (leaf first), whether it is trusted, the name to verify and the time.
 * @returns The errors; empty when there are none.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { certificateChainErrors } from "./certificate_chain_errors.ts";
 * const certificate = {
 *   subject: "CN=wrong.example", issuer: "CN=Test CA", fingerprintSha256: "AB",
 *   validFrom: new Date("2020-01-01"), validTo: new Date("2999-01-01"),
 * };
 * const chain = [{ certificate, dnsNames: ["wrong.example"], ipAddresses: [], selfIssued: false }];
 * const errors = certificateChainErrors({ chain, trusted: true, serverName: "localhost", now: new Date() });
 * equal(errors[0].message, "The host name did not match any of the valid hosts for this certificate");
 * ```
 */
export function certificateChainErrors(verification: ChainVerification): SslError[] {
  const { chain, trusted, serverName, now } = verification;
  if (chain.length === 0) return [new SslError(SslErrorKind.NoPeerCertificate)];
  const errors: SslError[] = [];
  const leaf = chain[0];
  if (!hostNameMatches(leaf, serverName)) {
    errors.push(new SslError(SslErrorKind.HostNameMismatch, leaf.certificate));
  }
  if (!trusted) errors.push(untrustedChainError(chain));
  const time = now.getTime();
  for (const { certificate } of chain) {
    if (time < certificate.validFrom.getTime()) {
      errors.push(new SslError(SslErrorKind.CertificateNotYetValid, certificate));
    } else if (time > certificate.validTo.getTime()) {
      errors.push(new SslError(SslErrorKind.CertificateExpired, certificate));
    }
  }
  return errors;
}
