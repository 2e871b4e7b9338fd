/**
 * TLS value types: {@linkcode SslConfiguration}, {@linkcode Certificate} and {@linkcode SslError}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SslError, SslErrorKind } from "@netreply/netreply";
 * const error = new SslError(SslErrorKind.CertificateExpired);
 * equal(error.message, "The certificate has expired");
 * ```
 *
 * @module
 */

import { SslErrorKind } from "./ssl_error_kind.ts";

/**
 * A peer certificate, as far as the transport can see it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { Certificate } from "@netreply/netreply";
 * const certificate: Certificate = {
 *   subject: "CN=example.test",
 *   issuer: "CN=Example CA",
 *   validFrom: new Date("2026-01-01T00:00:00Z"),
 *   validTo: new Date("2027-01-01T00:00:00Z"),
 *   fingerprintSha256: "AB:CD",
 * };
 * equal(certificate.validTo > certificate.validFrom, true);
 * ```
 */
export interface Certificate {
  /** Subject as `"CN=...,O=..."`. */
  readonly subject: string;
  /** Issuer as `"CN=...,O=..."`. */
  readonly issuer: string;
  /** Start of validity. */
  readonly validFrom: Date;
  /** End of validity. */
  readonly validTo: Date;
  /** Upper-case hex with colons, like OpenSSL prints it. */
  readonly fingerprintSha256: string;
  /** The certificate in PEM form, where the transport has it. */
  readonly pem?: string;
}

/**
 * TLS settings for a request, and (on a reply) what the handshake negotiated,
 * where the transport can see it.
 *
 * @example Trust a private CA for one request
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkRequest, type SslConfiguration } from "@netreply/netreply";
 * const ca = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
 * const sslConfiguration: SslConfiguration = { caCertificates: [ca] };
 * const request = new NetworkRequest("https://internal.test/", { sslConfiguration });
 * deepEqual(request.sslConfiguration()?.caCertificates, [ca]);
 * ```
 */
export interface SslConfiguration {
  /** Extra trusted CA certificates (PEM), added to the runtime's roots. */
  caCertificates?: string[];
  /** Client certificate (PEM) for mutual TLS. */
  localCertificate?: string;
  /** Client private key (PEM) for mutual TLS. */
  privateKey?: string;
  /** ALPN protocols to offer, e.g. `["h2", "http/1.1"]`. */
  allowedNextProtocols?: string[];
  /** Negotiated TLS version, e.g. `"TLSv1.3"` (reply only). */
  protocol?: string;
  /** Negotiated cipher suite (reply only). */
  sessionCipher?: string;
  /** Negotiated ALPN protocol (reply only). */
  nextNegotiatedProtocol?: string;
  /** The peer's leaf certificate (reply only). */
  peerCertificate?: Certificate;
  /** The peer's chain, leaf first (reply only). */
  peerCertificateChain?: Certificate[];
}

const messages: Partial<Record<SslErrorKind, string>> = {
  [SslErrorKind.NoError]: "No error",
  [SslErrorKind.UnableToGetIssuerCertificate]: "The issuer certificate could not be found",
  [SslErrorKind.UnableToDecryptCertificateSignature]: "The certificate signature could not be decrypted",
  [SslErrorKind.UnableToDecodeIssuerPublicKey]: "The public key in the certificate could not be read",
  [SslErrorKind.CertificateSignatureFailed]: "The signature of the certificate is invalid",
  [SslErrorKind.CertificateNotYetValid]: "The certificate is not yet valid",
  [SslErrorKind.CertificateExpired]: "The certificate has expired",
  [SslErrorKind.InvalidNotBeforeField]: "The certificate's notBefore field contains an invalid time",
  [SslErrorKind.InvalidNotAfterField]: "The certificate's notAfter field contains an invalid time",
  [SslErrorKind.SelfSignedCertificate]: "The certificate is self-signed, and untrusted",
  [SslErrorKind.SelfSignedCertificateInChain]:
    "The root certificate of the certificate chain is self-signed, and untrusted",
  [SslErrorKind.UnableToGetLocalIssuerCertificate]:
    "The issuer certificate of a locally looked up certificate could not be found",
  [SslErrorKind.UnableToVerifyFirstCertificate]: "No certificates could be verified",
  [SslErrorKind.CertificateRevoked]: "The certificate has been revoked",
  [SslErrorKind.InvalidCaCertificate]: "One of the CA certificates is invalid",
  [SslErrorKind.PathLengthExceeded]: "The basicConstraints path length parameter has been exceeded",
  [SslErrorKind.InvalidPurpose]: "The supplied certificate is unsuitable for this purpose",
  [SslErrorKind.CertificateUntrusted]: "The root CA certificate is not trusted for this purpose",
  [SslErrorKind.CertificateRejected]: "The root CA certificate is marked to reject the specified purpose",
  [SslErrorKind.SubjectIssuerMismatch]:
    "The current candidate issuer certificate was rejected because its subject name did not match the issuer name of the current certificate",
  [SslErrorKind.AuthorityIssuerSerialNumberMismatch]:
    "The current candidate issuer certificate was rejected because its issuer name and serial number was present and did not match the authority key identifier of the current certificate",
  [SslErrorKind.NoPeerCertificate]: "The peer did not present any certificate",
  [SslErrorKind.HostNameMismatch]: "The host name did not match any of the valid hosts for this certificate",
  [SslErrorKind.NoSslSupport]: "No SSL support is available",
  [SslErrorKind.CertificateBlacklisted]: "The peer certificate is blacklisted",
  [SslErrorKind.UnspecifiedError]: "Unknown error",
};

/**
 * One TLS verification error: its kind and, where the transport can see it,
 * the certificate it is about.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SslError, SslErrorKind } from "@netreply/netreply";
 * equal(new SslError(SslErrorKind.HostNameMismatch).kind, 22);
 * ```
 */
export class SslError {
  /** What is wrong. */
  readonly kind: SslErrorKind;
  /** The certificate the error is about, where known. */
  readonly certificate?: Certificate;
  /** Qt's human-readable text for {@linkcode SslError.kind}. */
  readonly message: string;

  /** Creates an error of the given kind, optionally about a certificate. */
  constructor(kind: SslErrorKind, certificate?: Certificate) {
    this.kind = kind;
    this.certificate = certificate;
    this.message = messages[kind] ?? "Unknown error";
  }

  /** Whether two errors have the same kind and the same certificate (by fingerprint). */
  equals(other: SslError): boolean {
    return this.kind === other.kind &&
      this.certificate?.fingerprintSha256 === other.certificate?.fingerprintSha256;
  }
}
