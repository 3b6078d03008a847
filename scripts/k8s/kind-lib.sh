# Shared by kind-up.sh, kind-e2e.sh and kind-down.sh (sourced, not run).
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${KIND_CLUSTER:-offndat}"
NAMESPACE="${NAMESPACE:-offndat}"
RELEASE="${RELEASE:-offndat}"
# kind from the Go module proxy; its node image is built here (scripts/k8s/node-image.sh).
KIND_VERSION="${KIND_VERSION:-v0.33.0}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"

log() { printf '[kind] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# shellcheck source=scripts/k8s/docker-lib.sh
source "$ROOT/scripts/k8s/docker-lib.sh"

# kind runs every node as a container: install and start a Docker engine where there is none (docker-lib.sh).
require_docker() { ensure_docker; }

# kubectl from PATH, else the pinned build of scripts/k8s/tools.sh (put on PATH for the scripts called from here).
require_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return 0
  local dir
  dir="$("$ROOT/scripts/k8s/tools.sh" ensure kubernetes | sed -n 's/^KUBERNETES_BIN_DIR=//p')"
  [[ -x $dir/kubectl ]] || die "no kubectl on PATH and none built in $dir"
  export PATH="$dir:$PATH"
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

# Every pod of the release namespace Ready (the migrations Job's completed pod not counted). After a rollout, a pod
# of the old ReplicaSet can vanish while `kubectl wait` watches it (NotFound): ask again until the deadline.
all_ready() {
  local deadline=$((SECONDS + 600))
  until kubectl -n "$NAMESPACE" wait --for=condition=Ready pod --field-selector=status.phase!=Succeeded --all \
    --timeout=60s >/dev/null 2>&1; do
    ((SECONDS < deadline)) || break
    sleep 2
  done
  kubectl -n "$NAMESPACE" wait --for=condition=Ready pod --field-selector=status.phase!=Succeeded --all --timeout=5s
}
