import assert from "node:assert/strict";
import { Attribute } from "../../src/core/attribute.ts";
import { CacheLoadControl } from "../../src/core/cache_load_control.ts";
import { KnownHeader } from "../../src/core/known_header.ts";
import { LoadControl } from "../../src/core/load_control.ts";
import { NetworkError, networkErrorForHttpStatus, networkErrorName } from "../../src/core/network_error.ts";
import { Operation } from "../../src/core/operation.ts";
import { Priority } from "../../src/core/priority.ts";
import { RedirectPolicy } from "../../src/core/redirect_policy.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";

// Qt 6's numbers, written out from Qt's headers and documentation: each table is the whole enum.
const tables: { name: string; actual: Readonly<Record<string, number>>; expected: Record<string, number> }[] =
  [
    {
      name: "NetworkError",
      actual: NetworkError,
      expected: {
        NoError: 0,
        ConnectionRefusedError: 1,
        RemoteHostClosedError: 2,
        HostNotFoundError: 3,
        TimeoutError: 4,
        OperationCanceledError: 5,
        SslHandshakeFailedError: 6,
        TemporaryNetworkFailureError: 7,
        NetworkSessionFailedError: 8,
        BackgroundRequestNotAllowedError: 9,
        TooManyRedirectsError: 10,
        InsecureRedirectError: 11,
        PermissionDeniedError: 98,
        UnknownNetworkError: 99,
        ProxyConnectionRefusedError: 101,
        ProxyConnectionClosedError: 102,
        ProxyNotFoundError: 103,
        ProxyTimeoutError: 104,
        ProxyAuthenticationRequiredError: 105,
        UnknownProxyError: 199,
        ContentAccessDenied: 201,
        ContentOperationNotPermittedError: 202,
        ContentNotFoundError: 203,
        AuthenticationRequiredError: 204,
        ContentReSendError: 205,
        ContentConflictError: 206,
        ContentGoneError: 207,
        UnknownContentError: 299,
        ProtocolUnknownError: 301,
        ProtocolInvalidOperationError: 302,
        ProtocolFailure: 399,
        InternalServerError: 401,
        OperationNotImplementedError: 402,
        ServiceUnavailableError: 403,
        UnknownServerError: 499,
      },
    },
    {
      name: "Attribute",
      actual: Attribute,
      expected: {
        HttpStatusCodeAttribute: 0,
        HttpReasonPhraseAttribute: 1,
        RedirectionTargetAttribute: 2,
        ConnectionEncryptedAttribute: 3,
        CacheLoadControlAttribute: 4,
        CacheSaveControlAttribute: 5,
        SourceIsFromCacheAttribute: 6,
        DoNotBufferUploadDataAttribute: 7,
        HttpPipeliningAllowedAttribute: 8,
        HttpPipeliningWasUsedAttribute: 9,
        CustomVerbAttribute: 10,
        CookieLoadControlAttribute: 11,
        AuthenticationReuseAttribute: 12,
        CookieSaveControlAttribute: 13,
        MaximumDownloadBufferSizeAttribute: 14,
        DownloadBufferAttribute: 15,
        SynchronousRequestAttribute: 16,
        BackgroundRequestAttribute: 17,
        EmitAllUploadProgressSignalsAttribute: 18,
        Http2AllowedAttribute: 19,
        Http2WasUsedAttribute: 20,
        OriginalContentLengthAttribute: 21,
        RedirectPolicyAttribute: 22,
        Http2DirectAttribute: 23,
        ResourceTypeAttribute: 24,
        AutoDeleteReplyOnFinishAttribute: 25,
        ConnectionCacheExpiryTimeoutSecondsAttribute: 26,
        Http2CleartextAllowedAttribute: 27,
        UseCredentialsAttribute: 28,
        FullLocalServerNameAttribute: 29,
        User: 1000,
        UserMax: 32767,
      },
    },
    {
      name: "KnownHeader",
      actual: KnownHeader,
      expected: {
        ContentTypeHeader: 0,
        ContentLengthHeader: 1,
        LocationHeader: 2,
        LastModifiedHeader: 3,
        CookieHeader: 4,
        SetCookieHeader: 5,
        ContentDispositionHeader: 6,
        UserAgentHeader: 7,
        ServerHeader: 8,
        IfModifiedSinceHeader: 9,
        ETagHeader: 10,
        IfMatchHeader: 11,
        IfNoneMatchHeader: 12,
      },
    },
    {
      name: "RedirectPolicy",
      actual: RedirectPolicy,
      expected: {
        ManualRedirectPolicy: 0,
        NoLessSafeRedirectPolicy: 1,
        SameOriginRedirectPolicy: 2,
        UserVerifiedRedirectPolicy: 3,
      },
    },
    {
      name: "Operation",
      actual: Operation,
      expected: {
        UnknownOperation: 0,
        HeadOperation: 1,
        GetOperation: 2,
        PutOperation: 3,
        PostOperation: 4,
        DeleteOperation: 5,
        CustomOperation: 6,
      },
    },
    {
      name: "CacheLoadControl",
      actual: CacheLoadControl,
      expected: { AlwaysNetwork: 0, PreferNetwork: 1, PreferCache: 2, AlwaysCache: 3 },
    },
    { name: "LoadControl", actual: LoadControl, expected: { Automatic: 0, Manual: 1 } },
    { name: "Priority", actual: Priority, expected: { HighPriority: 1, NormalPriority: 3, LowPriority: 5 } },
    {
      name: "SslErrorKind",
      actual: SslErrorKind,
      expected: {
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
        OcspSigRequred: 31, // sic: Qt's spelling
        OcspUnauthorized: 32,
        OcspResponseCannotBeTrusted: 33,
        OcspResponseCertIdUnknown: 34,
        OcspResponseExpired: 35,
        OcspStatusUnknown: 36,
        UnspecifiedError: -1,
      },
    },
  ];

for (const { name, actual, expected } of tables) {
  for (const [member, value] of Object.entries(expected)) {
    Deno.test(`${name}.${member} is ${value}`, () => {
      assert.equal(actual[member], value);
    });
  }
  Deno.test(`${name} has exactly Qt's members`, () => {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  });
  Deno.test(`${name} has no two members with the same number`, () => {
    const values = Object.values(actual);
    assert.equal(new Set(values).size, values.length);
  });
}

for (const [member, code] of Object.entries(NetworkError)) {
  Deno.test(`networkErrorName(${code}) is ${member}`, () => {
    assert.equal(networkErrorName(code), member);
  });
}

Deno.test("networkErrorName of an unknown code says so", () => {
  assert.equal(networkErrorName(12345 as NetworkError), "NetworkError(12345)");
});

// Qt's QNetworkReply::NetworkError documentation.
const statusTable: [number, NetworkError][] = [
  [400, NetworkError.ProtocolInvalidOperationError],
  [401, NetworkError.AuthenticationRequiredError],
  [402, NetworkError.UnknownContentError],
  [403, NetworkError.ContentAccessDenied],
  [404, NetworkError.ContentNotFoundError],
  [405, NetworkError.ContentOperationNotPermittedError],
  [406, NetworkError.UnknownContentError],
  [407, NetworkError.ProxyAuthenticationRequiredError],
  [408, NetworkError.UnknownContentError],
  [409, NetworkError.ContentConflictError],
  [410, NetworkError.ContentGoneError],
  [411, NetworkError.UnknownContentError],
  [417, NetworkError.UnknownContentError],
  [418, NetworkError.ProtocolInvalidOperationError],
  [422, NetworkError.UnknownContentError],
  [429, NetworkError.UnknownContentError],
  [451, NetworkError.UnknownContentError],
  [499, NetworkError.UnknownContentError],
  [500, NetworkError.InternalServerError],
  [501, NetworkError.OperationNotImplementedError],
  [502, NetworkError.UnknownServerError],
  [503, NetworkError.ServiceUnavailableError],
  [504, NetworkError.UnknownServerError],
  [505, NetworkError.UnknownServerError],
  [599, NetworkError.UnknownServerError],
  [600, NetworkError.UnknownServerError],
  [999, NetworkError.UnknownServerError],
];

for (const [status, error] of statusTable) {
  Deno.test(`networkErrorForHttpStatus(${status}) is ${networkErrorName(error)}`, () => {
    assert.equal(networkErrorForHttpStatus(status), error);
  });
}

Deno.test("networkErrorForHttpStatus: every status from 100 to 399 is NoError", () => {
  for (let status = 100; status <= 399; status++) {
    assert.equal(networkErrorForHttpStatus(status), NetworkError.NoError, `status ${status}`);
  }
});

Deno.test("networkErrorForHttpStatus: any other 4xx is UnknownContentError, any other 5xx UnknownServerError", () => {
  const special = new Map(statusTable);
  for (let status = 400; status <= 599; status++) {
    const error = networkErrorForHttpStatus(status);
    if (special.has(status)) continue;
    assert.equal(
      error,
      status > 500 ? NetworkError.UnknownServerError : NetworkError.UnknownContentError,
      `status ${status}`,
    );
  }
});
