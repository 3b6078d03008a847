#!/usr/bin/env bash
# schemathesis (PyPI), pinned, in a virtualenv of its own cached under the tools directory, so the contract
# test runs the same version everywhere and a warm run installs nothing.
#
#   scripts/schemathesis.sh ensure        install SCHEMATHESIS_VERSION once; prints the path of `st`
#   scripts/schemathesis.sh run ARGS...   `st run ARGS...` (installs first when needed)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Keep in step with the Makefile's pin block (make exports it; direct calls fall back to this).
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
VENV="$TOOLS_DIR/schemathesis-$VERSION"

log() { printf '[schemathesis] %s\n' "$*" >&2; }
die() { printf '[schemathesis] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/k8s/once-lib.sh
source "$ROOT/scripts/k8s/once-lib.sh"

python() {
  command -v python3 >/dev/null || die "python3 is missing (apt-get install python3 python3-venv)"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' || die "schemathesis needs Python 3.9 or newer"
  # Debian splits venv (and its bundled pip) out of python3.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    [[ $(id -u) -eq 0 ]] || die "python3 has no venv module; as root: apt-get install python3-venv"
    apt-get install -y -qq python3-venv >/dev/null
  fi
}

# Beside the build log and the stamp, not in their place: `venv --clear` empties its directory.
install() {
  python3 -m venv --clear "$VENV/venv"
  "$VENV/venv/bin/pip" install --quiet --no-input "schemathesis==$VERSION"
  "$VENV/venv/bin/st" --version
}

ensure() {
  python
  once "$VENV" install
  printf '%s\n' "$VENV/venv/bin/st"
}

case "${1:-}" in
  ensure) ensure ;;
  run)
    shift
    st=$(ensure)
    exec "$st" run "$@"
    ;;
  *) die "usage: $0 ensure | run ARGS..." ;;
esac
