#!/usr/bin/env bash
# Draws a dashboard's panels, as queried from a Prometheus, into a PNG (scripts/dashboards/render.py), with
# matplotlib at the versions pinned in requirements.txt, installed once into a virtual environment cached under
# ~/.cache/offndat-tools (shared by checkouts; parallel callers wait for the first install).
#
#   scripts/dashboards/render.sh PANELS.json OUT.png
#
# PANELS.json is what test/e2e/monitoring-live.test.ts writes: the dashboard's layout and each panel's series.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
log() { printf '[dashboards] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/k8s/once-lib.sh
source "$ROOT/scripts/k8s/once-lib.sh"

(($# == 2)) || die "usage: $0 PANELS.json OUT.png"
python=$(command -v python3 || true)
[[ -n "$python" ]] || die "python3 is needed to draw the dashboards"

# One environment per set of pins and Python version: changing either builds a new one beside the old.
key=$( (cat "$ROOT/scripts/dashboards/requirements.txt"; "$python" --version) | sha256sum | cut -c1-12)
VENV="$TOOLS_DIR/dashboard-renderer-$key"
build_venv() {
  "$python" -m venv "$VENV/env"
  "$VENV/env/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
    -r "$ROOT/scripts/dashboards/requirements.txt"
}
once "$VENV" build_venv
MPLCONFIGDIR="$VENV/mplconfig" exec "$VENV/env/bin/python" "$ROOT/scripts/dashboards/render.py" "$1" "$2"
