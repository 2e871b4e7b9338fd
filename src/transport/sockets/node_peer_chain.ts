/**
 * {@linkcode peerChainVerification}: what a `node:tls` socket shows of the
 * peer's chain, as the facts {@linkcode certificateChainErrors} needs
 * (certificates parsed with `node:crypto`'s `X509Certificate`, and whether the
 * chain reaches a trusted root).
 *
 * Trust is decided here rather than read from `authorizationError`, because
 * runtimes name only one reason and not always the right one (Deno's
 * node:tls calls an expired certificate from a trusted CA "unable to verify
 * the first certificate").
 *
 * @example
 * ```ts ignore
 * import { peerChainVerification } from "./node_peer_chain.ts";
 * const verification = peerChainVerification(builtins, tlsSocket, { serverName: "localhost", caCertificates: [] });
 * console.log(verification.chain.length);
 * ```
 *
 * @module
 */

import type { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { ChainCertificate, ChainVerification } from "../../core/certificate_chain_errors.ts";
import type { Certificate } from "../../core/ssl.ts";
import type { NodeBuiltins } from "./node_builtins.ts";

interface PeerCertificateLink {
  readonly raw?: Uint8Array;
  readonly fingerprint256?: string;
  readonly issuerCertificate?: PeerCertificateLink;
}

let defaultRoots: readonly X509Certificate[] | undefined;

function parseAll(crypto: NodeBuiltins["crypto"], pems: readonly string[]): X509Certificate[] {
  const parsed: X509Certificate[] = [];
  for (const pem of pems) {
    try {
      parsed.push(new crypto.X509Certificate(pem));
    } catch {
      // An unparsable CA cannot anchor anything; the handshake already reported it if it mattered.
    }
  }
  return parsed;
}

/** `"CN=...,O=..."`: the RFC 4514 order (most specific first) of OpenSSL's one-attribute-per-line text. */
function distinguishedName(lines: string): string {
  return lines.split("\n").filter((line) => line !== "").reverse()
    .map((line) => {
      const equals = line.indexOf("=");
      return `${line.slice(0, equals)}=${line.slice(equals + 1).replace(/([,+"\\<>;])/g, "\\$1")}`;
    })
    .join(",");
}

function commonNameOf(lines: string): string | undefined {
  return lines.split("\n").find((line) => line.startsWith("CN="))?.slice(3);
}

function altNames(x509: X509Certificate, prefix: string): string[] {
  return (x509.subjectAltName ?? "").split(/,\s*/)
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length).replace(/^"|"$/g, ""));
}

/**
 * One certificate as the reply shows it.
 *
 * @param x509 A parsed certificate.
 * @returns Subject, issuer, dates, SHA-256 fingerprint and PEM.
 * @example
 * ```ts ignore
 * import { strictEqual as equal } from "node:assert/strict";
 * import { X509Certificate } from "node:crypto";
 * import { certificateOf } from "./node_peer_chain.ts";
 * equal(certificateOf(new X509Certificate(pem)).subject, "CN=localhost,O=netreply tests");
 * ```
 */
export function certificateOf(x509: X509Certificate): Certificate {
  return {
    subject: distinguishedName(x509.subject),
    issuer: distinguishedName(x509.issuer),
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
    fingerprintSha256: x509.fingerprint256.toUpperCase(),
    pem: x509.toString(),
  };
}

function chainCertificate(x509: X509Certificate): ChainCertificate {
  return {
    certificate: certificateOf(x509),
    dnsNames: altNames(x509, "DNS:"),
    ipAddresses: altNames(x509, "IP Address:"),
    commonName: commonNameOf(x509.subject),
    selfIssued: x509.checkIssued(x509) && x509.verify(x509.publicKey),
  };
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The peer's chain, leaf first, as `getPeerCertificate(true)` links it (without repeating a self-issued root). */
function peerChain(crypto: NodeBuiltins["crypto"], socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let link: PeerCertificateLink | undefined = socket.getPeerCertificate(true) as PeerCertificateLink;
  while (link?.raw !== undefined && link.raw.length > 0 && !seen.has(link.fingerprint256 ?? "")) {
    seen.add(link.fingerprint256 ?? "");
    chain.push(new crypto.X509Certificate(link.raw));
    link = link.issuerCertificate;
  }
  return chain;
}

/** Whether the chain, followed from the leaf, meets one of the anchors (or contains one). */
function reachesAnchor(chain: readonly X509Certificate[], anchors: readonly X509Certificate[]): boolean {
  const fingerprints = new Set(anchors.map((anchor) => anchor.fingerprint256));
  for (let index = 0; index < chain.length; index++) {
    const certificate = chain[index];
    if (fingerprints.has(certificate.fingerprint256)) return true;
    if (anchors.some((anchor) => issuedBy(certificate, anchor))) return true;
    const next = chain[index + 1];
    if (next === undefined || !issuedBy(certificate, next)) return false;
  }
  return false;
}

/**
 * The facts about a finished handshake's chain: the certificates leaf first,
 * and whether they reach the default roots or one of `caCertificates`.
 *
 * @param builtins The Node modules (from `loadNodeBuiltins`).
 * @param socket A TLS socket after `secureConnect`.
 * @param options The name to verify and the extra trusted CAs (PEM).
 * @returns The input of `certificateChainErrors` (with the current time).
 * @example
 * ```ts ignore
 * import { certificateChainErrors } from "../../core/certificate_chain_errors.ts";
 * import { peerChainVerification } from "./node_peer_chain.ts";
 * import { loadNodeBuiltins } from "./node_builtins.ts";
 * const builtins = await loadNodeBuiltins();
 * console.log(certificateChainErrors(peerChainVerification(builtins, socket, { serverName: "localhost" })));
 * ```
 */
export function peerChainVerification(
  builtins: NodeBuiltins,
  socket: TLSSocket,
  options: { readonly serverName: string; readonly caCertificates?: readonly string[] },
): ChainVerification & { readonly x509Chain: readonly X509Certificate[] } {
  const x509Chain = peerChain(builtins.crypto, socket);
  // Read only now: on Deno the default roots need --allow-sys.
  defaultRoots ??= parseAll(builtins.crypto, builtins.tls.rootCertificates);
  const anchors = [...defaultRoots, ...parseAll(builtins.crypto, options.caCertificates ?? [])];
  return {
    chain: x509Chain.map(chainCertificate),
    trusted: reachesAnchor(x509Chain, anchors),
    serverName: options.serverName,
    now: new Date(),
    x509Chain,
  };
}
