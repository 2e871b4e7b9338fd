import assert from "node:assert/strict";
import { NetworkError } from "../../mod.ts";
import { EXIT_CODE_MEANINGS, ExitCode, exitCodeFor } from "../../cli/exit_codes.ts";
import { VERSION } from "../../cli/version.ts";
import denoJson from "../../deno.json" with { type: "json" };

Deno.test("exitCodeFor: HTTP errors by status class, everything else by NetworkError", () => {
  const cases: [NetworkError, number | undefined, ExitCode][] = [
    [NetworkError.NoError, 200, ExitCode.Ok],
    [NetworkError.NoError, 302, ExitCode.Ok],
    [NetworkError.ContentNotFoundError, 404, ExitCode.HttpClientError],
    [NetworkError.ProtocolInvalidOperationError, 400, ExitCode.HttpClientError],
    [NetworkError.UnknownContentError, 422, ExitCode.HttpClientError],
    [NetworkError.InternalServerError, 500, ExitCode.HttpServerError],
    [NetworkError.UnknownServerError, 502, ExitCode.HttpServerError],
    [NetworkError.ProxyAuthenticationRequiredError, 407, ExitCode.Proxy],
    [NetworkError.TooManyRedirectsError, 302, ExitCode.Redirect],
    [NetworkError.InsecureRedirectError, 301, ExitCode.Redirect],
    [NetworkError.ConnectionRefusedError, undefined, ExitCode.ConnectionRefused],
    [NetworkError.HostNotFoundError, undefined, ExitCode.HostNotFound],
    [NetworkError.TimeoutError, 200, ExitCode.Timeout],
    [NetworkError.SslHandshakeFailedError, undefined, ExitCode.Tls],
    [NetworkError.PermissionDeniedError, undefined, ExitCode.PermissionDenied],
    [NetworkError.ProtocolUnknownError, undefined, ExitCode.UnsupportedProtocol],
    [NetworkError.RemoteHostClosedError, 200, ExitCode.ConnectionClosed],
    [NetworkError.UnknownNetworkError, undefined, ExitCode.ConnectionClosed],
    [NetworkError.OperationCanceledError, 200, ExitCode.Canceled],
    [NetworkError.ProtocolFailure, undefined, ExitCode.Failure],
    [NetworkError.ProtocolInvalidOperationError, undefined, ExitCode.Failure],
    [NetworkError.ContentReSendError, 307, ExitCode.Failure],
  ];
  for (const [error, status, expected] of cases) {
    assert.equal(exitCodeFor(error, status), expected, `${error} with status ${status}`);
  }
});

Deno.test("EXIT_CODE_MEANINGS: every ExitCode once, in order", () => {
  const codes = EXIT_CODE_MEANINGS.map(([code]) => code);
  assert.deepEqual(codes, Object.values(ExitCode).sort((a, b) => a - b));
});

Deno.test("docs/cli.md lists exactly the exit codes the CLI uses", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/cli.md", import.meta.url));
  const rows = [...doc.matchAll(/^\| (\d+) +\| (.+?) +\|$/gm)].map((m) => [Number(m[1]), m[2]]);
  assert.deepEqual(rows, EXIT_CODE_MEANINGS.map(([code, meaning]) => [code, meaning]));
});

Deno.test("--version's VERSION is deno.json's version", () => {
  assert.equal(VERSION, denoJson.version);
});
