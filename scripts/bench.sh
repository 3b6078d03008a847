#!/usr/bin/env bash
# `make bench`: the load-test run (not part of `make test`). Starts the test services, installs wrk (Debian) and
# builds k6 (cached) and the product, then hands over to loadtest/run.js, which starts api + worker + baselines on
# 127.0.0.1, measures each server tier with wrk and the other scenarios with k6, and writes
# loadtest/results/<date>.md and latest.md. Everything it starts is stopped by PID.
#
#   scripts/bench.sh                           full run (about 25 minutes on 2 cores, 5 of them the memory soak)
#   BENCH_SCENARIOS=redirect-l1 scripts/bench.sh   a subset; settings: loadtest/README.md
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/services.sh up >&2
WRK_BIN="$(bash scripts/wrk.sh)"
export WRK_BIN
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
log "k6: $("$K6_BIN" version | head -n 1); wrk: $("$WRK_BIN" --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"

# 1000 virtual users hold 1000 sockets on each side of loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node loadtest/run.js "$@"
