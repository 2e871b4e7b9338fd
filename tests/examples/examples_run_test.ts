// Runs every example of examples/ and its ky twin as a newcomer would (`deno run` with net permission for
// loopback only) against the examples' server, and checks that both print what the task asks for.

import assert from "node:assert/strict";
import { EXAMPLE_TASKS, EXAMPLES_DIR } from "./example_tasks.ts";
import { FILE_SIZE, serveExamples } from "./example_server.ts";

const decoder = new TextDecoder();
const BAR = /^\[[#-]{20}\] \d{1,3}%$/;

/** A URL on loopback where nothing listens. */
function closedPort(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return `http://127.0.0.1:${listener.addr.port}/`;
}

async function run(file: URL, args: readonly string[]): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-net=127.0.0.1,localhost", file.pathname, ...args],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, `${file.pathname} failed:\n${decoder.decode(stderr)}`);
  return decoder.decode(stdout).trimEnd().split("\n");
}

/** What each task must print, given the server's URL. */
const EXPECTED: Readonly<Record<string, (server: URL) => readonly string[]>> = {
  "02_post_json.ts": () => ["201 7 Grace"],
  "03_redirect_trace.ts": (server) => [
    "-> /r/2",
    "-> /r/1",
    "-> /final",
    "final",
    `refused http://localhost:${server.port}/final`,
  ],
  "04_error_handling.ts": () => ["404 no such page", "timeout", "refused"],
  "05_basic_auth_gzip.ts": () => ["user has 3 items"],
};

for (const { file, task } of EXAMPLE_TASKS) {
  for (const twin of ["netreply", "ky"] as const) {
    Deno.test(`examples: ${task} (${twin}, ${file}) prints what the task asks for`, async () => {
      await using server = serveExamples();
      const path = new URL(twin === "ky" ? `ky/${file}` : file, EXAMPLES_DIR);
      const lines = await run(path, [server.url.href, closedPort()]);
      const expected = EXPECTED[file];
      if (expected !== undefined) {
        assert.deepEqual(lines, expected(server.url));
        return;
      }
      // The download: progress bars (how many depends on how the bytes arrive), the last one full, then the size.
      assert.equal(lines.at(-1), `${FILE_SIZE} bytes`);
      const bars = lines.slice(0, -1);
      assert.ok(bars.length > 0, "at least one progress bar");
      for (const bar of bars) assert.match(bar, BAR);
      assert.equal(bars.at(-1), "[####################] 100%");
    });
  }
}
