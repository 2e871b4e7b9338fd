import assert from "node:assert/strict";
import {
  certificateChainErrors,
  type ChainCertificate,
  hostNameMatches,
} from "../../src/core/certificate_chain_errors.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";

const now = new Date("2026-06-01T00:00:00Z");

function certificate(
  name: string,
  options: { selfIssued?: boolean; from?: string; to?: string; dns?: string[]; ip?: string[] } = {},
): ChainCertificate {
  return {
    certificate: {
      subject: `CN=${name}`,
      issuer: options.selfIssued ? `CN=${name}` : "CN=issuer",
      validFrom: new Date(options.from ?? "2020-01-01T00:00:00Z"),
      validTo: new Date(options.to ?? "2030-01-01T00:00:00Z"),
      fingerprintSha256: name,
    },
    dnsNames: options.dns ?? ["localhost"],
    ipAddresses: options.ip ?? [],
    commonName: name,
    selfIssued: options.selfIssued ?? false,
  };
}

const leaf = certificate("leaf");
const intermediate = certificate("intermediate", { dns: [] });
const root = certificate("root", { selfIssued: true, dns: [] });

const cases: readonly {
  readonly name: string;
  readonly chain: readonly ChainCertificate[];
  readonly trusted: boolean;
  readonly serverName?: string;
  readonly errors: readonly (readonly [number, string])[];
}[] = [
  { name: "trusted, valid, matching name", chain: [leaf], trusted: true, errors: [] },
  { name: "no certificate", chain: [], trusted: false, errors: [[SslErrorKind.NoPeerCertificate, ""]] },
  {
    name: "lone self-issued leaf",
    chain: [certificate("self", { selfIssued: true })],
    trusted: false,
    errors: [[SslErrorKind.SelfSignedCertificate, "self"]],
  },
  {
    name: "untrusted self-issued root sent with the chain",
    chain: [leaf, intermediate, root],
    trusted: false,
    errors: [[SslErrorKind.SelfSignedCertificateInChain, "root"]],
  },
  {
    name: "lone leaf from an unknown issuer",
    chain: [leaf],
    trusted: false,
    errors: [[SslErrorKind.UnableToVerifyFirstCertificate, "leaf"]],
  },
  {
    name: "chain stopping at an intermediate from an unknown issuer",
    chain: [leaf, intermediate],
    trusted: false,
    errors: [[SslErrorKind.UnableToGetLocalIssuerCertificate, "intermediate"]],
  },
  {
    name: "expired leaf, not-yet-valid intermediate",
    chain: [
      certificate("old", { to: "2026-05-31T23:59:59Z" }),
      certificate("new", { from: "2026-06-01T00:00:01Z" }),
    ],
    trusted: true,
    errors: [[SslErrorKind.CertificateExpired, "old"], [SslErrorKind.CertificateNotYetValid, "new"]],
  },
  {
    name: "every problem at once, in Qt's order",
    chain: [certificate("bad", { selfIssued: true, to: "2021-01-01T00:00:00Z", dns: ["other.example"] })],
    trusted: false,
    errors: [
      [SslErrorKind.HostNameMismatch, "bad"],
      [SslErrorKind.SelfSignedCertificate, "bad"],
      [SslErrorKind.CertificateExpired, "bad"],
    ],
  },
  {
    name: "IP address against DNS-only names",
    chain: [leaf],
    trusted: true,
    serverName: "127.0.0.1",
    errors: [[SslErrorKind.HostNameMismatch, "leaf"]],
  },
];

for (const c of cases) {
  Deno.test(`certificateChainErrors: ${c.name}`, () => {
    const errors = certificateChainErrors({
      chain: c.chain,
      trusted: c.trusted,
      serverName: c.serverName ?? "localhost",
      now,
    });
    assert.deepEqual(
      errors.map((error) => [error.kind, error.certificate?.fingerprintSha256 ?? ""]),
      c.errors,
    );
  });
}

const names: readonly (readonly [string, { dns?: string[]; ip?: string[]; cn?: string }, boolean])[] = [
  ["localhost", { dns: ["localhost"] }, true],
  ["LocalHost.", { dns: ["localhost"] }, true],
  ["www.example.com", { dns: ["*.example.com"] }, true],
  ["WWW.Example.COM", { dns: ["*.EXAMPLE.com"] }, true],
  ["example.com", { dns: ["*.example.com"] }, false],
  ["a.b.example.com", { dns: ["*.example.com"] }, false],
  ["www.com", { dns: ["*.com"] }, false],
  ["wwwx.example.com", { dns: ["www*.example.com"] }, false],
  ["www.example.com", { dns: ["www.*.com"] }, false],
  ["127.0.0.1", { ip: ["127.0.0.1"] }, true],
  ["127.0.0.1", { dns: ["127.0.0.1"] }, false],
  ["[::1]", { ip: ["::1"] }, true],
  ["0:0:0:0:0:0:0:1", { ip: ["::1"] }, true],
  ["::ffff:127.0.0.1", { ip: ["::ffff:7f00:1"] }, true],
  ["::2", { ip: ["::1"] }, false],
  ["localhost", { cn: "localhost" }, true],
  ["localhost", { dns: ["other.example"], cn: "localhost" }, false],
  ["127.0.0.1", { cn: "127.0.0.1" }, true],
];

Deno.test("hostNameMatches: RFC 6125 names, wildcards and IP addresses", () => {
  for (const [serverName, { dns = [], ip = [], cn }, expected] of names) {
    assert.equal(
      hostNameMatches({ dnsNames: dns, ipAddresses: ip, commonName: cn }, serverName),
      expected,
      `${serverName} vs ${JSON.stringify({ dns, ip, cn })}`,
    );
  }
});
