#!/usr/bin/env bash
# Creates a Python virtual environment with matplotlib from PyPI at a pinned version and prints its python's path.
# The cluster report's charts (loadtest/cluster/plot.py) are drawn with it. Cached OUTSIDE the checkout, keyed by
# version, like k6 (scripts/k6.sh): a warm call only checks a stamp and returns at once.
#
#   scripts/matplotlib.sh            create when missing, then print the venv's python on stdout
#   scripts/matplotlib.sh version    print the pinned version
set -euo pipefail

# Pinned here and mirrored in the Makefile's pinned-versions block, which passes MATPLOTLIB_VERSION in.
: "${MATPLOTLIB_VERSION:=3.10.8}"

TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
DIR="$TOOLS_DIR/matplotlib-$MATPLOTLIB_VERSION"
PY="$DIR/bin/python"

log() { printf '[matplotlib] %s\n' "$*" >&2; }

if [[ "${1:-}" == version ]]; then
  printf '%s\n' "$MATPLOTLIB_VERSION"
  exit 0
fi

build() {
  command -v python3 >/dev/null || { log "error: python3 is not installed"; return 1; }
  rm -rf "$DIR"
  python3 -m venv "$DIR"
  # Wheels only: nothing is compiled, and the headless Agg backend needs no GUI toolkit.
  "$PY" -m pip install --quiet --disable-pip-version-check --only-binary=:all: "matplotlib==$MATPLOTLIB_VERSION"
  "$PY" -c 'import matplotlib; print("matplotlib", matplotlib.__version__)'
}

# The .ok stamp is written only after a successful install; the lock makes parallel callers wait.
if [[ ! -f "$DIR/.ok" ]]; then
  mkdir -p "$TOOLS_DIR"
  exec {lockfd}>"$DIR.lock"
  flock "$lockfd"
  if [[ ! -f "$DIR/.ok" ]]; then
    log "creating a venv with matplotlib $MATPLOTLIB_VERSION in $DIR"
    if ! build >"$TOOLS_DIR/matplotlib-$MATPLOTLIB_VERSION.log" 2>&1; then
      tail -n 30 "$TOOLS_DIR/matplotlib-$MATPLOTLIB_VERSION.log" >&2
      log "error: install failed"
      exit 1
    fi
    touch "$DIR/.ok"
  fi
  flock -u "$lockfd"
fi
printf '%s\n' "$PY"
