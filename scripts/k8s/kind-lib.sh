# Shared by kind-up.sh, kind-e2e.sh and kind-down.sh (sourced, not run).
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${KIND_CLUSTER:-offndat}"
NAMESPACE="${NAMESPACE:-offndat}"
RELEASE="${RELEASE:-offndat}"
# kind v0.32.0 defaults to kindest/node:v1.36.1, the image k8s/kind-config.yaml pins.
KIND_VERSION="${KIND_VERSION:-v0.32.0}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"

log() { printf '[kind] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# kind runs every node as a container, so it needs a container engine that answers, not just a docker CLI.
require_docker() {
  command -v docker >/dev/null 2>&1 || die "docker is not installed; kind needs a running Docker engine"
  if ! docker info >/dev/null 2>&1; then
    die "the docker CLI is present but no Docker daemon answers ('docker info' failed). kind needs a running engine;
       start Docker (or run this on a machine that has one, e.g. CI). Without one, the chart is still checked by
       the chart tests against a local API server (see docs/kubernetes.md)."
  fi
}

require_kubectl() {
  command -v kubectl >/dev/null 2>&1 || die "kubectl is not installed"
}

# kind from KIND or PATH, else built once from the Go module proxy into the tools cache.
kind_bin() {
  if [[ -n "${KIND:-}" ]]; then printf '%s\n' "$KIND"; return; fi
  if command -v kind >/dev/null 2>&1; then command -v kind; return; fi
  local dir="$TOOLS_DIR/kind-$KIND_VERSION"
  if [[ ! -x "$dir/bin/kind" ]]; then
    command -v go >/dev/null 2>&1 || die "kind is not installed and there is no Go toolchain to build it"
    log "building kind $KIND_VERSION into $dir"
    GOBIN="$dir/bin" GOTOOLCHAIN=local CGO_ENABLED=0 go install "sigs.k8s.io/kind@$KIND_VERSION" >&2
  fi
  printf '%s\n' "$dir/bin/kind"
}

# helm v3/v4 from HELM_BIN or PATH, else the pinned build of scripts/k8s/tools.sh.
helm_bin() {
  if [[ -n "${HELM_BIN:-}" ]]; then printf '%s\n' "$HELM_BIN"; return; fi
  if command -v helm >/dev/null 2>&1; then command -v helm; return; fi
  "$ROOT/scripts/k8s/tools.sh" ensure helm | sed -n 's/^HELM_BIN=//p'
}

cluster_exists() { # kind-binary
  "$1" get clusters 2>/dev/null | grep -qx "$CLUSTER"
}
