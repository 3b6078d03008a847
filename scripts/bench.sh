#!/usr/bin/env bash
# `make bench`: the load-test run (not part of `make test`). Starts the test services, builds k6 (cached) and the
# product, then hands over to loadtest/run.js, which starts api + worker + baselines on 127.0.0.1, runs every
# scenario with k6, and writes loadtest/results/<date>.md and latest.md. Everything it starts is stopped by PID.
#
#   scripts/bench.sh                           full run (about 8-10 minutes on 2 cores)
#   BENCH_SCENARIOS=redirect-l1 scripts/bench.sh   a subset; settings: loadtest/README.md
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/services.sh up >&2
# Started while the product builds; a cold k6 build takes minutes, a warm one returns at once.
k6_out="$(mktemp)"
bash scripts/k6.sh >"$k6_out" &
k6_pid=$!
if [[ ! -f node_modules/.package-lock.json || node_modules/.package-lock.json -ot package-lock.json ]]; then
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2
wait "$k6_pid"
K6_BIN="$(tail -n 1 "$k6_out")"
rm -f "$k6_out"
export K6_BIN
log "k6: $("$K6_BIN" version | head -n 1)"

# 1000 virtual users hold 1000 sockets on each side of loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node loadtest/run.js "$@"
