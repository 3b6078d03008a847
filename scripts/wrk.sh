#!/usr/bin/env bash
# Installs wrk, the HTTP load generator `make bench` measures the server tiers with, from Debian's package when it
# is missing, and prints its path. wrk costs a small fraction of a server's CPU per request (k6 costs more than a
# bare node:http server), so the server under test, not the generator, is what saturates.
#
#   scripts/wrk.sh     install when missing, then print the binary's path on stdout
set -euo pipefail

log() { printf '[wrk] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { log "error: wrk is missing; install it as root: apt-get install wrk"; exit 1; }
  log "installing wrk (apt)"
  apt_log="$(mktemp)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; } >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    log "error: apt-get install wrk failed"
    exit 1
  fi
  rm -f "$apt_log"
fi
command -v wrk
