/**
 * Qt's `QSslError::SslError` numbers: what is wrong with a TLS peer.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SslErrorKind } from "@netreply/netreply";
 * equal(SslErrorKind.HostNameMismatch, 22);
 * ```
 *
 * @module
 */

/**
 * Qt's `QSslError::SslError` numbers: what is wrong with a TLS peer.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SslError, SslErrorKind } from "@netreply/netreply";
 * const error = new SslError(SslErrorKind.SelfSignedCertificate);
 * equal(error.kind, SslErrorKind.SelfSignedCertificate);
 * equal(error.message, "The certificate is self-signed, and untrusted");
 * ```
 */
export const SslErrorKind = {
  NoError: 0,
  UnableToGetIssuerCertificate: 1,
  UnableToDecryptCertificateSignature: 2,
  UnableToDecodeIssuerPublicKey: 3,
  CertificateSignatureFailed: 4,
  CertificateNotYetValid: 5,
  CertificateExpired: 6,
  InvalidNotBeforeField: 7,
  InvalidNotAfterField: 8,
  SelfSignedCertificate: 9,
  SelfSignedCertificateInChain: 10,
  UnableToGetLocalIssuerCertificate: 11,
  UnableToVerifyFirstCertificate: 12,
  CertificateRevoked: 13,
  InvalidCaCertificate: 14,
  PathLengthExceeded: 15,
  InvalidPurpose: 16,
  CertificateUntrusted: 17,
  CertificateRejected: 18,
  SubjectIssuerMismatch: 19,
  AuthorityIssuerSerialNumberMismatch: 20,
  NoPeerCertificate: 21,
  HostNameMismatch: 22,
  NoSslSupport: 23,
  CertificateBlacklisted: 24,
  CertificateStatusUnknown: 25,
  OcspNoResponseFound: 26,
  OcspMalformedRequest: 27,
  OcspMalformedResponse: 28,
  OcspInternalError: 29,
  OcspTryLater: 30,
  OcspSigRequred: 31,
  OcspUnauthorized: 32,
  OcspResponseCannotBeTrusted: 33,
  OcspResponseCertIdUnknown: 34,
  OcspResponseExpired: 35,
  OcspStatusUnknown: 36,
  UnspecifiedError: -1,
} as const;

/** One of the {@linkcode SslErrorKind} numbers. */
export type SslErrorKind = typeof SslErrorKind[keyof typeof SslErrorKind];
