/**
 * The CLI's exit codes and messages, one per kind of failure, from a child
 * process against loopback servers (and a refused port, an unresolvable
 * host, a server that goes quiet, a permission not granted).
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../cli/exit_codes.ts";
import { stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import { closedPort, serveHttp } from "../support/servers.ts";
import { allowNet, runCliProcess, startEchoServer } from "./cli_process.ts";

Deno.test("cli exit codes: 404 is 40 and 500 is 50, the error body still on stdout", async () => {
  await using server = startEchoServer();
  const cases = [[404, ExitCode.HttpClientError], [500, ExitCode.HttpServerError]];
  const runs = await Promise.all(
    cases.map(([status]) =>
      runCliProcess(["-s", new URL(`/status/${status}`, server.url).href], {
        permissions: [allowNet(server.url)],
      })
    ),
  );
  for (const [i, [status, code]] of cases.entries()) {
    const url = new URL(`/status/${status}`, server.url).href;
    const run = runs[i];
    assert.equal(run.code, code, run.err);
    assert.equal(run.out, `status ${status}`);
    assert.match(run.err, new RegExp(`^netreply: Error transferring ${url} - server replied: .+\\n$`));
  }
});

Deno.test("cli exit codes: a refused connection is 7", async () => {
  const port = closedPort();
  const run = await runCliProcess(["-s", `http://127.0.0.1:${port}/`], {
    permissions: [`--allow-net=127.0.0.1:${port}`],
  });
  assert.equal(run.code, ExitCode.ConnectionRefused);
  assert.equal(run.err, "netreply: Connection refused (ConnectionRefusedError)\n");
});

Deno.test("cli exit codes: a host that does not resolve is 6", async () => {
  const run = await runCliProcess(["-s", "http://netreply-nohost.invalid/"], {
    permissions: ["--allow-net=netreply-nohost.invalid"],
  });
  assert.equal(run.code, ExitCode.HostNotFound);
  assert.match(run.err, /^netreply: .*\(HostNotFoundError\)\n$/);
});

Deno.test("cli exit codes: --timeout when the server goes quiet is 9, the bytes before it kept (both transports)", async () => {
  await using server = startRawHttpServer(
    stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes"),
  );
  // Generous: the timer must not fire before the first bytes on a loaded machine.
  const runs = await Promise.all(
    ["fetch", "socket"].map((transport) =>
      runCliProcess(["-s", "--transport", transport, "--timeout", "2", server.url.href], {
        permissions: [allowNet(server.url)],
      })
    ),
  );
  for (const run of runs) {
    assert.equal(run.code, ExitCode.Timeout, run.err);
    assert.equal(run.out, "first bytes");
    assert.match(run.err, /\(TimeoutError\)\n$/);
  }
});

Deno.test("cli exit codes: no net permission is 4, and the message names the flag", async () => {
  await using server = serveHttp(() => new Response("never"));
  const run = await runCliProcess(["-s", server.url.href]);
  assert.equal(run.code, ExitCode.PermissionDenied);
  assert.equal(
    run.err,
    `netreply: Net access to "${server.url.host}" was denied by the runtime: run with --allow-net=${server.url.host} ` +
      "(PermissionDeniedError)\n",
  );
});

Deno.test("cli exit codes: files outside --allow-read / --allow-write are 4, naming flag, file and permission", async () => {
  await using server = startEchoServer();
  const cases: [string[], string][] = [
    [
      ["--cacert", "/tmp/netreply-ca.pem"],
      '--cacert "/tmp/netreply-ca.pem": read access was denied by Deno: ' +
      "run with --allow-read=/tmp/netreply-ca.pem",
    ],
    [
      ["--data-binary", "@/tmp/netreply-body"],
      '--data-binary "/tmp/netreply-body": read access was denied by ' +
      "Deno: run with --allow-read=/tmp/netreply-body",
    ],
    [
      ["-o", "/tmp/netreply-out"],
      '-o "/tmp/netreply-out": write access was denied by Deno: ' +
      "run with --allow-write=/tmp/netreply-out",
    ],
  ];
  const runs = await Promise.all(
    cases.map(([flags]) =>
      runCliProcess([...flags, server.url.href], { permissions: [allowNet(server.url)] })
    ),
  );
  for (const [i, [flags, message]] of cases.entries()) {
    const run = runs[i];
    assert.equal(run.code, ExitCode.PermissionDenied, flags.join(" "));
    assert.equal(run.err, `netreply: ${message}\n`);
  }
});

Deno.test("cli exit codes: a missing file is 3, naming the flag and the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netreply-cli-" });
  try {
    const missing = `${dir}/missing.pem`;
    const run = await runCliProcess(["--cacert", missing, "http://127.0.0.1:9/"], {
      permissions: [`--allow-read=${dir}`],
    });
    assert.equal(run.code, ExitCode.LocalFile);
    assert.match(run.err, new RegExp(`^netreply: --cacert "${missing}": cannot read the file: No such file`));
    const output = await runCliProcess(["-o", `${dir}/no/such/dir/out`, "http://127.0.0.1:9/"], {
      permissions: [`--allow-write=${dir}`],
    });
    assert.equal(output.code, ExitCode.LocalFile);
    assert.match(output.err, /^netreply: -o ".*\/no\/such\/dir\/out": cannot write the file: No such file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli exit codes: bad arguments are 2 with the flag and value named, before any network use", async () => {
  const run = await runCliProcess(["--max-redirs", "many", "http://127.0.0.1:9/"]);
  assert.equal(run.code, ExitCode.Usage);
  assert.equal(
    run.err,
    'netreply: --max-redirs "many": expected a whole number of redirects (0 or more)\n' +
      "Usage: netreply [options] URL (see --help)\n",
  );
  assert.equal(run.out, "");
});

Deno.test("cli exit codes: a proxy URL other than http: or https: is 2, not an uncaught error", async () => {
  const run = await runCliProcess(["--proxy", "socks5://127.0.0.1:1080", "http://127.0.0.1:9/"]);
  assert.equal(run.code, ExitCode.Usage);
  assert.equal(
    run.err,
    'netreply: --proxy "socks5://127.0.0.1:1080": expected an http: or https: proxy URL\n' +
      "Usage: netreply [options] URL (see --help)\n",
  );
  assert.equal(run.out, "");
});

Deno.test("cli exit codes: an unsupported scheme is 5", async () => {
  const run = await runCliProcess(["ftp://127.0.0.1/file"]);
  assert.equal(run.code, ExitCode.UnsupportedProtocol);
  assert.match(run.err, /\(ProtocolUnknownError\)\n$/);
});
