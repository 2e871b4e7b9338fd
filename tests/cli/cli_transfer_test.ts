/**
 * The CLI as a child process against a loopback server: what it sends for
 * each flag, where the body goes, and what -I prints.
 */
import assert from "node:assert/strict";
import { allowNet, type EchoedRequest, runCliProcess, startEchoServer } from "./cli_process.ts";

const transports = ["fetch", "socket"] as const;

for (const transport of transports) {
  Deno.test(`cli (${transport}): a GET writes the body to stdout and exits 0`, async () => {
    await using server = startEchoServer();
    const run = await runCliProcess(["--transport", transport, new URL("/bytes/5", server.url).href], {
      permissions: [allowNet(server.url)],
    });
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, "xxxxx");
  });

  Deno.test(`cli (${transport}): -X, -H (repeated) and -d are sent as given`, async () => {
    await using server = startEchoServer();
    const run = await runCliProcess([
      "--transport",
      transport,
      "-X",
      "PATCH",
      "-H",
      "X-One: 1",
      "-H",
      "X-Two: two words",
      "-d",
      "a=1",
      "-d",
      "b=2",
      new URL("/echo", server.url).href,
    ], { permissions: [allowNet(server.url)] });
    assert.equal(run.code, 0, run.err);
    const echoed: EchoedRequest = JSON.parse(run.out);
    assert.equal(echoed.method, "PATCH");
    assert.equal(echoed.headers["x-one"], "1");
    assert.equal(echoed.headers["x-two"], "two words");
    assert.equal(echoed.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(echoed.body, "a=1&b=2");
  });
}

Deno.test("cli: -d without -X is a POST; a -H Content-Type wins over the implied one", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(
    ["-d", "x", "-H", "Content-Type: text/x-custom", new URL("/echo", server.url).href],
    { permissions: [allowNet(server.url)] },
  );
  assert.equal(run.code, 0, run.err);
  const echoed: EchoedRequest = JSON.parse(run.out);
  assert.equal(echoed.method, "POST");
  assert.equal(echoed.headers["content-type"], "text/x-custom");
});

Deno.test("cli: --json sends application/json with Accept, pieces concatenated", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(
    ["--json", '{"a":', "--json", "1}", new URL("/echo", server.url).href],
    { permissions: [allowNet(server.url)] },
  );
  assert.equal(run.code, 0, run.err);
  const echoed: EchoedRequest = JSON.parse(run.out);
  assert.equal(echoed.method, "POST");
  assert.equal(echoed.headers["content-type"], "application/json");
  assert.equal(echoed.headers["accept"], "application/json");
  assert.equal(echoed.body, '{"a":1}');
});

Deno.test("cli: --data-binary @file sends the file's bytes as they are; -d @file drops CR and LF", async () => {
  await using server = startEchoServer();
  const dir = await Deno.makeTempDir({ prefix: "netreply-cli-" });
  try {
    const file = `${dir}/body.txt`;
    await Deno.writeTextFile(file, "line 1\r\nline 2\n");
    const permissions = [allowNet(server.url), `--allow-read=${file}`];
    const url = new URL("/echo", server.url).href;
    const binary = await runCliProcess(["--data-binary", `@${file}`, url], { permissions });
    assert.equal(binary.code, 0, binary.err);
    assert.equal((JSON.parse(binary.out) as EchoedRequest).body, "line 1\r\nline 2\n");
    const form = await runCliProcess(["-d", `@${file}`, url], { permissions });
    assert.equal(form.code, 0, form.err);
    assert.equal((JSON.parse(form.out) as EchoedRequest).body, "line 1line 2");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: --data-binary @- reads stdin", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(["--data-binary", "@-", new URL("/echo", server.url).href], {
    permissions: [allowNet(server.url)],
    stdin: new TextEncoder().encode("from stdin"),
  });
  assert.equal(run.code, 0, run.err);
  assert.equal((JSON.parse(run.out) as EchoedRequest).body, "from stdin");
});

Deno.test("cli: -o writes the body to the file, nothing to stdout, and a plain progress line to stderr", async () => {
  await using server = startEchoServer();
  const dir = await Deno.makeTempDir({ prefix: "netreply-cli-" });
  try {
    const file = `${dir}/out.bin`;
    const run = await runCliProcess(["-o", file, new URL("/bytes/100000", server.url).href], {
      permissions: [allowNet(server.url), `--allow-write=${file}`],
    });
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, "");
    const written = await Deno.readTextFile(file);
    assert.ok(written === "x".repeat(100000), `the file holds ${written.length} bytes`);
    assert.match(run.err, /^netreply: received 97\.7 KiB in \d+\.\d s \(.+\/s\)$/m);
    assert.ok(!run.err.includes("\x1b"), "no terminal codes when stderr is not a terminal");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: -s turns the progress line off", async () => {
  await using server = startEchoServer();
  const run = await runCliProcess(["-s", new URL("/bytes/10", server.url).href], {
    permissions: [allowNet(server.url)],
  });
  assert.equal(run.code, 0, run.err);
  assert.equal(run.err, "");
});

for (const transport of transports) {
  Deno.test(`cli (${transport}): -I sends HEAD and prints the status line and headers`, async () => {
    await using server = startEchoServer();
    const run = await runCliProcess(["-I", "--transport", transport, new URL("/bytes/7", server.url).href], {
      permissions: [allowNet(server.url)],
    });
    assert.equal(run.code, 0, run.err);
    const [status, ...rest] = run.out.split("\r\n");
    assert.match(status, transport === "socket" ? /^HTTP\/1\.1 200 OK$/ : /^HTTP 200 OK$/);
    assert.ok(rest.includes("content-length: 7"), run.out);
    assert.ok(run.out.endsWith("\r\n\r\n"));
  });
}

Deno.test("cli: --help lists the flags and exit codes on stdout; --version prints the version", async () => {
  const help = await runCliProcess(["--help"]);
  assert.equal(help.code, 0);
  for (const flag of ["-o, --output FILE", "--redirect-policy POLICY", "--timeout SECONDS", "Exit codes:"]) {
    assert.ok(help.out.includes(flag), flag);
  }
  const version = await runCliProcess(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.out, /^netreply \d+\.\d+\.\d+ \(Deno \d+\.\d+\.\d+\)\n$/);
});
