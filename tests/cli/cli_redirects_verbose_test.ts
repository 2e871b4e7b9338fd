/**
 * The CLI's redirect flags (-L, --max-redirs, --redirect-policy) and the
 * shape of -v, from a child process against a loopback server.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../cli/exit_codes.ts";
import { allowNet, type EchoedRequest, runCliProcess, startEchoServer } from "./cli_process.ts";

Deno.test("cli redirects: without -L the 3xx is the answer (exit 0); -L follows to the end", async () => {
  await using server = startEchoServer();
  const url = new URL("/r/2", server.url).href;
  const permissions = [allowNet(server.url)];
  const manual = await runCliProcess(["-s", "-I", url], { permissions });
  assert.equal(manual.code, ExitCode.Ok, manual.err);
  assert.match(manual.out, /^HTTP 302 Found\r\n/);
  assert.match(manual.out, /\r\nlocation: \/r\/1\r\n/);
  const followed = await runCliProcess(["-s", "-L", url], { permissions });
  assert.equal(followed.code, ExitCode.Ok, followed.err);
  assert.equal((JSON.parse(followed.out) as EchoedRequest).path, "/echo");
});

Deno.test("cli redirects: --max-redirs 1 on a chain of 2 is exit 11 (TooManyRedirectsError)", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(["-s", "-L", "--max-redirs", "1", new URL("/r/2", server.url).href], {
    permissions: [allowNet(server.url)],
  });
  assert.equal(run.code, ExitCode.Redirect);
  assert.match(run.err, /\(TooManyRedirectsError\)\n$/);
});

Deno.test("cli redirects: --redirect-policy same-origin refuses another origin with exit 11", async () => {
  await using server = startEchoServer();
  // 127.0.0.1 and localhost are different origins for the same server.
  const elsewhere = new URL("/echo", server.url);
  elsewhere.hostname = "localhost";
  const redirecting = new URL(`/to?url=${encodeURIComponent(elsewhere.href)}`, server.url);
  const permissions = [allowNet(server.url, elsewhere)];
  const refused = await runCliProcess(["-s", "--redirect-policy", "same-origin", redirecting.href], {
    permissions,
  });
  assert.equal(refused.code, ExitCode.Redirect, refused.err);
  assert.match(refused.err, /\(InsecureRedirectError\)\n$/);
  const followed = await runCliProcess(["-s", "--redirect-policy", "no-less-safe", redirecting.href], {
    permissions,
  });
  assert.equal(followed.code, ExitCode.Ok, followed.err);
});

Deno.test("cli redirects: --redirect-policy user-verified without a terminal refuses with exit 11 and says why", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(
    ["-s", "--redirect-policy", "user-verified", new URL("/r/1", server.url).href],
    { permissions: [allowNet(server.url)] },
  );
  assert.equal(run.code, ExitCode.Redirect);
  assert.equal(
    run.err,
    `netreply: not following the redirect to ${new URL("/echo", server.url).href}: ` +
      "--redirect-policy user-verified asks on a terminal, and stdin or stderr is not one\n",
  );
});

for (const transport of ["fetch", "socket"]) {
  Deno.test(`cli -v (${transport}): request and response heads, then every signal with a ms timestamp`, async () => {
    await using server = startEchoServer();
    const url = new URL("/r/1", server.url).href;
    const run = await runCliProcess(["-v", "-L", "--transport", transport, "-H", "X-Trace: yes", url], {
      permissions: [allowNet(server.url)],
    });
    assert.equal(run.code, ExitCode.Ok, run.err);
    const lines = run.err.trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 2), [`> GET ${url}`, "> x-trace: yes"]);
    for (const line of lines.slice(2)) assert.match(line, /^(\* \[ *\d+ ms\] \w+(\(.*\))?|< .+)$/, line);
    const signals = lines.filter((line) => line.startsWith("* ")).map((line) =>
      line.replace(/^\* \[ *\d+ ms\] /, "")
    );
    const expected = [
      ...(transport === "socket" ? ["socketStartedConnecting"] : []),
      "requestSent",
      "metaDataChanged",
      `redirected(${new URL("/echo", server.url).href})`,
      "requestSent",
      "metaDataChanged",
    ];
    assert.deepEqual(signals.slice(0, expected.length), expected);
    assert.deepEqual(
      signals.slice(-3),
      [
        "downloadProgress(" + run.stdout.length + ", " + run.stdout.length + ")",
        "readChannelFinished",
        "finished",
      ].slice(-3),
    );
    const statusLines = lines.filter((line) => /^< HTTP/.test(line));
    const version = transport === "socket" ? "HTTP/1.1" : "HTTP";
    assert.deepEqual(statusLines, [`< ${version} 302 Found`, `< ${version} 200 OK`]);
    assert.ok(lines.includes("< location: /echo"), run.err);
    const timestamps = lines.filter((line) => line.startsWith("* ")).map((line) =>
      Number(/\d+/.exec(line)![0])
    );
    assert.deepEqual(timestamps, [...timestamps].sort((a, b) => a - b), "timestamps never go back");
  });
}
