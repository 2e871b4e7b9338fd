#!/usr/bin/env bash
# Runs the smoke checks (tests/runtimes/smoke_checks.ts) on the fetch and the socket transport on
# Node, on Bun and on workerd, the last two from npm, pinned. Node and Bun run node_smoke.ts, which
# serves the routes (plain and TLS) in-process; workerd cannot listen, so smoke_server_main.ts serves
# them from a Node process and a generated config runs workerd_smoke.ts with `workerd test`. Prints
# each runtime's checks and one Deno-style summary line summed over all three.
set -uo pipefail
cd "$(dirname "$0")/../.."
DENO=${DENO:-"npx -y deno@2.9.6"}
BUN_VERSION=1.4.5
WORKERD_VERSION=1.20261117.1
out=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$out"
}
trap cleanup EXIT
# .mjs: a parent package.json could otherwise make Node read the bundle as CommonJS.
bundle() {
  $DENO bundle --quiet --platform "$1" -o "$out/$2.mjs" "tests/runtimes/$2.ts"
}
bundle node node_smoke && bundle node smoke_server_main && bundle browser workerd_smoke || exit 1
passed=0
failed=0
# run NAME COMMAND...: runs it, shows its log and adds the counts of its summary line. No summary
# line, or a non-zero exit with no failure counted, is one failure more.
run() {
  local log="$out/$1.log"
  shift
  timeout 120 "$@" >"$log" 2>&1
  local status=$?
  cat "$log"
  local summary
  summary=$(grep -E '^(ok|FAILED) \| [0-9]+ passed \| [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "(no summary line; exit status $status)"
    failed=$((failed + 1))
    return
  fi
  local ran_failed
  ran_failed=$(sed -E 's/.*\| ([0-9]+) failed$/\1/' <<<"$summary")
  if [ "$status" -ne 0 ] && [ "$ran_failed" -eq 0 ]; then
    echo "(exit status $status after a clean summary)"
    ran_failed=1
  fi
  passed=$((passed + $(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")))
  failed=$((failed + ran_failed))
}
run node node "$out/node_smoke.mjs"
DO_NOT_TRACK=1 run bun npx -y "bun@${BUN_VERSION}" "$out/node_smoke.mjs"

# workerd: the server first, then a config that embeds the bundle and hands the worker the server's
# addresses and the test CA. Only loopback is reachable: globalOutbound is a network allowing
# "local", which also trusts the test CA (workerd takes no CA per request, only from its config).
node "$out/smoke_server_main.mjs" >"$out/server.json" 2>"$out/server.log" &
server_pid=$!
for _ in $(seq 100); do
  [ -s "$out/server.json" ] && break
  sleep 0.1
done
base=$(sed -nE 's/.*"base":"([^"]+)".*/\1/p' "$out/server.json")
https_base=$(sed -nE 's/.*"httpsBase":"([^"]+)".*/\1/p' "$out/server.json")
self_signed_base=$(sed -nE 's/.*"selfSignedBase":"([^"]+)".*/\1/p' "$out/server.json")
closed_port=$(sed -nE 's/.*"closedPort":([0-9]+).*/\1/p' "$out/server.json")
cp tests/support/certs/ca.pem "$out/ca.pem"
if [ -z "$base" ] || [ -z "$https_base" ] || [ -z "$self_signed_base" ] || [ -z "$closed_port" ]; then
  echo "workerd: the smoke server did not start"
  cat "$out/server.log"
  failed=$((failed + 1))
else
  cat >"$out/workerd_smoke.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["local"], tlsOptions = (trustedCertificates = [embed "ca.pem"]))),
  ],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "workerd_smoke.mjs")],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "SMOKE_BASE", text = "${base}"),
    (name = "SMOKE_HTTPS_BASE", text = "${https_base}"),
    (name = "SMOKE_CA", text = embed "ca.pem"),
    (name = "SMOKE_SELF_SIGNED_BASE", text = "${self_signed_base}"),
    (name = "SMOKE_CLOSED_PORT", text = "${closed_port}"),
  ],
  globalOutbound = "loopback",
);
EOF
  run workerd npx -y "workerd@${WORKERD_VERSION}" test "$out/workerd_smoke.capnp"
fi
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=""

echo "$([ $failed -eq 0 ] && echo ok || echo FAILED) | ${passed} passed | ${failed} failed"
[ $failed -eq 0 ]
