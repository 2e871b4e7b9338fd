#!/usr/bin/env bash
# Bundles tests/runtimes/fetch_smoke.ts to plain ESM and runs it on Node and on Bun (from npm,
# pinned). Prints each runtime's checks and one Deno-style summary line summed over both.
set -uo pipefail
cd "$(dirname "$0")/../.."
DENO=${DENO:-"npx -y deno@2.9.6"}
BUN_VERSION=1.4.5
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# .mjs: a parent package.json could otherwise make Node read the bundle as CommonJS.
$DENO bundle --quiet --platform node -o "$out/fetch_smoke.mjs" tests/runtimes/fetch_smoke.ts || exit 1
passed=0
failed=0
run() {
  local log="$out/$1.log"
  shift
  timeout 120 "$@" "$out/fetch_smoke.mjs" >"$log" 2>&1
  cat "$log"
  local summary
  summary=$(grep -E '^(ok|FAILED) \| [0-9]+ passed \| [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")))
  failed=$((failed + $(sed -E 's/.*\| ([0-9]+) failed$/\1/' <<<"$summary")))
}
run node node
DO_NOT_TRACK=1 run bun npx -y "bun@${BUN_VERSION}"
echo "$([ $failed -eq 0 ] && echo ok || echo FAILED) | ${passed} passed | ${failed} failed"
[ $failed -eq 0 ]
