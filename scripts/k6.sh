#!/usr/bin/env bash
# Builds the k6 load generator from the Go module proxy at a pinned version and prints its path. Neither npm nor
# Debian ships k6 and nothing else can be downloaded, so it is built from source once and cached OUTSIDE the checkout,
# keyed by version: a warm call only checks a stamp and returns at once. A cold build takes several minutes on 2 cores.
#
#   scripts/k6.sh            build when missing, then print the binary's path on stdout
#   scripts/k6.sh version    print the pinned version
#
# Build log: <tools dir>/k6-<version>/build.log; progress on stderr.
set -euo pipefail

# Pinned here and mirrored in the Makefile's pinned-versions block, which passes K6_VERSION in.
: "${K6_VERSION:=v1.8.1}"

TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
DIR="$TOOLS_DIR/k6-$K6_VERSION"
BIN="$DIR/k6"

log() { printf '[k6] %s\n' "$*" >&2; }

if [[ "${1:-}" == version ]]; then
  printf '%s\n' "$K6_VERSION"
  exit 0
fi

build() {
  log "building k6 $K6_VERSION (several minutes on a cold Go cache; log: $DIR/build.log)"
  command -v go >/dev/null || { log "error: go is not installed"; return 1; }
  # -mod=mod: k6's go.mod is used as published; GOTOOLCHAIN=local: never fetch another toolchain.
  GOBIN="$DIR" GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
    go install -trimpath -ldflags "-s -w" "go.k6.io/k6@$K6_VERSION"
  "$BIN" version
}

# The .ok stamp is written only after a successful build, so an interrupted one is redone; the lock makes parallel
# callers wait instead of building twice.
if [[ ! -f "$DIR/.ok" ]]; then
  mkdir -p "$DIR"
  exec {lockfd}>"$DIR.lock"
  flock "$lockfd"
  if [[ ! -f "$DIR/.ok" ]]; then
    started=$SECONDS
    if ! build >"$DIR/build.log" 2>&1; then
      tail -n 30 "$DIR/build.log" >&2
      log "error: build failed; full log: $DIR/build.log"
      exit 1
    fi
    touch "$DIR/.ok"
    log "k6 $K6_VERSION ready ($((SECONDS - started))s)"
  fi
  flock -u "$lockfd"
fi
printf '%s\n' "$BIN"
