#!/usr/bin/env bash
# Runs the smoke checks (tests/runtimes/smoke_checks.ts) on the fetch and the socket transport on the
# runtimes named as arguments (deno, node, bun, workerd; all four when none is named): Deno from the
# sources; Node, Bun and workerd from the npm build, as a user gets it. `deno task build:npm` builds it,
# `npm pack` packs it and `npm install` installs the tarball next to the suite, which
# transpile_smoke.ts turns into plain ES modules importing `@netreply/netreply`. Deno, Node and Bun run
# in_process_smoke.ts, which serves the routes (plain and TLS) in-process; workerd cannot listen, so
# smoke_server_main.ts serves them from a Node process, and a generated config runs workerd_smoke.ts,
# bundled from the installed package (workerd loads one module file), with `workerd test`. With node,
# one more check type-checks smoke_checks.ts against the installed package's declarations, as a
# consumer's compiler sees them. Prints each runtime's checks and one Deno-style summary line summed
# over all of them.
set -uo pipefail
cd "$(dirname "$0")/../.."
DENO=${DENO:-"npx -y deno@2.9.6"}
BUN_VERSION=1.4.5
WORKERD_VERSION=1.20261117.1
RUNTIMES=(deno node bun workerd)
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=("${RUNTIMES[@]}")
for runtime in "${runtimes[@]}"; do
  if [[ ! " ${RUNTIMES[*]} " =~ " ${runtime} " ]]; then
    echo "run_smoke.sh: unknown runtime \"${runtime}\" (expected some of: ${RUNTIMES[*]})" >&2
    exit 2
  fi
done
wants() { [[ " ${runtimes[*]} " =~ " $1 " ]]; }

out=$(mktemp -d)
app="$out/app"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$out"
}
trap cleanup EXIT
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

# step DESCRIPTION COMMAND...: a preparation step; its output is shown only when it fails.
step() {
  local description=$1
  shift
  if ! "$@" >"$out/step.log" 2>&1; then
    cat "$out/step.log"
    echo "run_smoke.sh: ${description} failed"
    return 1
  fi
}

# The npm build installed as a dependency of the transpiled suite in $app.
install_npm_build() {
  mkdir -p "$app" &&
    $DENO task build:npm &&
    (cd dist/npm && npm pack --silent --pack-destination "$out") &&
    printf '{"name":"netreply-smoke","private":true,"type":"module"}\n' >"$app/package.json" &&
    (cd "$app" && npm install --offline --no-audit --no-fund --no-save "$out"/netreply-netreply-*.tgz) &&
    $DENO run --allow-read=tests/runtimes,examples --allow-write="$app" --allow-env tests/runtimes/transpile_smoke.ts "$app"
}

# smoke_checks.ts imports only `@netreply/netreply`: type-checked in $app by the pinned TypeScript
# (strict, skipLibCheck off, no Node or Deno types, the web's and `await using`'s libs), it shows that
# the npm build's declarations are complete for a consumer.
check_declarations() {
  local version
  version=$(sed -nE 's/.*"typescript": "npm:typescript@([^"]+)".*/\1/p' deno.json)
  # The example the checks import goes beside them, as transpile_smoke.ts puts it.
  sed 's#"\.\./\.\./examples/#"./#' tests/runtimes/smoke_checks.ts >"$app/declarations_check.ts" &&
    cp examples/cloudflare_worker.ts "$app/cloudflare_worker.ts" &&
    cat >"$app/tsconfig.json" <<'JSON' &&
{
  "compilerOptions": {
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "strict": true,
    "skipLibCheck": false,
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "lib": ["es2022", "dom", "dom.iterable", "esnext.disposable"],
    "types": []
  },
  "files": ["declarations_check.ts"]
}
JSON
    (cd "$app" && timeout 120 npx -y -p "typescript@${version}" tsc -p tsconfig.json)
}

if wants deno; then
  run deno $DENO run --allow-net=127.0.0.1,localhost --allow-read=tests --allow-env --allow-sys \
    tests/runtimes/in_process_smoke.ts
fi
if ! wants node && ! wants bun && ! wants workerd; then
  :
elif ! step "installing the npm build" install_npm_build; then
  failed=$((failed + 1))
else
  if wants node; then
    if step "type-checking smoke_checks.ts against the npm build's declarations" check_declarations; then
      echo "npm build: smoke_checks.ts type-checks against the installed declarations ... ok"
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
    run node node "$app/in_process_smoke.js"
  fi
  wants bun && DO_NOT_TRACK=1 run bun npx -y "bun@${BUN_VERSION}" "$app/in_process_smoke.js"
fi

# workerd: the server first, then a config that embeds the bundle and hands the worker the server's
# addresses and the test CA. Only loopback is reachable: globalOutbound is a network allowing
# "local", which also trusts the test CA (workerd takes no CA per request, only from its config).
if wants workerd && [ -f "$app/workerd_smoke.js" ]; then
  if ! step "bundling workerd_smoke.js from the npm build" \
    bash -c "cd '$app' && $DENO bundle --quiet --platform browser -o '$out/workerd_smoke.mjs' workerd_smoke.js"; then
    failed=$((failed + 1))
  else
    node "$app/smoke_server_main.js" >"$out/server.json" 2>"$out/server.log" &
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
  fi
fi

echo "$([ $failed -eq 0 ] && echo ok || echo FAILED) | ${passed} passed | ${failed} failed"
[ $failed -eq 0 ]
