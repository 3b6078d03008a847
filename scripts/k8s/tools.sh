#!/usr/bin/env bash
# Builds the Kubernetes tooling the chart tests need (helm, kubectl-validate, etcd, kube-apiserver) from the Go
# module proxy at pinned versions, and fetches the operators' CRDs the chart's custom resources are validated
# against. Neither npm nor Debian ships these binaries, and nothing else can be downloaded, so everything is built
# from source once and cached OUTSIDE the checkout, keyed by version: warm runs only check stamps and take seconds.
#
#   scripts/k8s/tools.sh ensure [helm|kubectl-validate|etcd|kube-apiserver|crds|kubernetes ...]
#                                       build what is missing (all but kubernetes by default); prints KEY=VALUE
#                                       lines (see `env`); kubernetes = the node and control-plane binaries of a cluster
#   scripts/k8s/tools.sh env            print HELM_BIN, KUBECTL_VALIDATE_BIN, ETCD_BIN, KUBE_APISERVER_BIN,
#                                       OFFNDAT_CRDS_DIR, KUBERNETES_VERSION ... without building anything
#   scripts/k8s/tools.sh versions       print the pinned versions
#
# Build logs go to <tools dir>/<name>-<version>/build.log; progress to stderr.
set -euo pipefail

# --- Pinned versions (mirrored in the Makefile's pinned-versions block, which passes them in) -------------------
: "${HELM_VERSION:=v4.3.1}"
# HEAD pseudo-version: the v0.0.4 tag embeds schemas only up to 1.30; this commit embeds 1.23 ... 1.35.
: "${KUBECTL_VALIDATE_VERSION:=v0.0.5-0.20260105161640-a97ccfaca20b}"
# The local control plane; 1.35 is also the newest version kubectl-validate embeds.
: "${KUBERNETES_VERSION:=v1.35.4}"
# kube-apiserver >= 1.35 needs etcd >= 3.5.13 (RequestWatchProgress); Debian's 3.4 is too old.
: "${ETCD_VERSION:=v3.6.16}"
: "${CNPG_VERSION:=v1.30.0}"
: "${RABBITMQ_OPERATOR_VERSION:=v2.22.1}"
: "${PROMETHEUS_OPERATOR_VERSION:=v0.93.0}"
: "${KEDA_VERSION:=v2.20.2}"
# ----------------------------------------------------------------------------------------------------------------

TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
export GOTOOLCHAIN=local
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0

log() { printf '[k8s-tools] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

k8s_minor() { local v="${KUBERNETES_VERSION#v}"; v="${v#*.}"; printf '%s' "${v%%.*}"; }
staging_version() { printf 'v0.%s' "${KUBERNETES_VERSION#v1.}"; }

helm_dir() { printf '%s/helm-%s' "$TOOLS_DIR" "$HELM_VERSION"; }
kv_dir() { printf '%s/kubectl-validate-%s' "$TOOLS_DIR" "$KUBECTL_VALIDATE_VERSION"; }
etcd_dir() { printf '%s/etcd-%s' "$TOOLS_DIR" "$ETCD_VERSION"; }
apiserver_dir() { printf '%s/kube-apiserver-%s' "$TOOLS_DIR" "$KUBERNETES_VERSION"; }
kubernetes_dir() { printf '%s/kubernetes-%s' "$TOOLS_DIR" "$KUBERNETES_VERSION"; }
crds_dir() {
  printf '%s/crds-cnpg-%s-rabbitmq-%s-prometheus-operator-%s-keda-%s' "$TOOLS_DIR" \
    "$CNPG_VERSION" "$RABBITMQ_OPERATOR_VERSION" "$PROMETHEUS_OPERATOR_VERSION" "$KEDA_VERSION"
}

print_env() {
  cat <<ENV
HELM_BIN=$(helm_dir)/bin/helm
KUBECTL_VALIDATE_BIN=$(kv_dir)/bin/kubectl-validate
ETCD_BIN=$(etcd_dir)/bin/etcd
KUBE_APISERVER_BIN=$(apiserver_dir)/bin/kube-apiserver
KUBERNETES_BIN_DIR=$(kubernetes_dir)/bin
OFFNDAT_CRDS_DIR=$(crds_dir)
KUBERNETES_VERSION=$KUBERNETES_VERSION
OFFNDAT_TOOLS_DIR=$TOOLS_DIR
ENV
}

print_versions() {
  cat <<VER
HELM_VERSION=$HELM_VERSION
KUBECTL_VALIDATE_VERSION=$KUBECTL_VALIDATE_VERSION
KUBERNETES_VERSION=$KUBERNETES_VERSION
ETCD_VERSION=$ETCD_VERSION
CNPG_VERSION=$CNPG_VERSION
RABBITMQ_OPERATOR_VERSION=$RABBITMQ_OPERATOR_VERSION
PROMETHEUS_OPERATOR_VERSION=$PROMETHEUS_OPERATOR_VERSION
KEDA_VERSION=$KEDA_VERSION
VER
}

# shellcheck source=scripts/k8s/once-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/once-lib.sh"

build_helm() {
  local dir; dir="$(helm_dir)"
  log "building helm $HELM_VERSION"
  # helm v4 takes its default capabilities (kube version) from the client-go version in the build info, so only
  # its own version needs setting for `helm version` to be right.
  GOBIN="$dir/bin" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  "$dir/bin/helm" version
}

build_kubectl_validate() {
  local dir; dir="$(kv_dir)"
  log "building kubectl-validate $KUBECTL_VALIDATE_VERSION"
  GOBIN="$dir/bin" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kubectl-validate@$KUBECTL_VALIDATE_VERSION"
  "$dir/bin/kubectl-validate" --help >/dev/null
}

# etcd's server module `replace`s its sibling modules with local paths, so `go install` refuses it; a wrapper
# module that requires all siblings at the same published version builds the same binary.
build_etcd() {
  local dir; dir="$(etcd_dir)"
  log "building etcd $ETCD_VERSION"
  rm -rf "$dir/src" && mkdir -p "$dir/src" && cd "$dir/src"
  printf 'module offndat.local/k8s-tools/etcd\n\ngo 1.26\n' >go.mod
  go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go get "go.etcd.io/etcd/api/v3@$ETCD_VERSION" "go.etcd.io/etcd/client/pkg/v3@$ETCD_VERSION" \
    "go.etcd.io/etcd/client/v3@$ETCD_VERSION" "go.etcd.io/etcd/pkg/v3@$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3
  "$dir/bin/etcd" --version
}

# k8s.io/kubernetes requires its staging modules at v0.0.0 and `replace`s them with ./staging/src paths, so a
# wrapper module re-points every one of them at its published v0.X.Y. The list is read from the pinned release's
# own go.mod, so bumping KUBERNETES_VERSION needs no edit here.
kube_wrapper_module() { # dir
  local sv; sv="$(staging_version)"
  rm -rf "$1" && mkdir -p "$1" && cd "$1"
  local upstream_mod
  upstream_mod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$upstream_mod" ]] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION"
  {
    printf 'module offndat.local/k8s-tools/kubernetes\n\ngo 1.26\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$KUBERNETES_VERSION"
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$sv"'#p' "$upstream_mod"
    printf ')\n'
  } >go.mod
}

# Builds k8s.io/kubernetes/cmd/<name> for each name into $1/bin, from the wrapper module in $1/src.
build_kube_commands() { # dir name...
  local dir="$1"; shift
  kube_wrapper_module "$dir/src"
  local name
  for name in "$@"; do go get -tool "k8s.io/kubernetes/cmd/$name@$KUBERNETES_VERSION"; done
  local v="$KUBERNETES_VERSION" minor; minor="$(k8s_minor)"
  for name in "$@"; do
    log "compiling $name $KUBERNETES_VERSION"
    # Without gitVersion the server reports v0.0.0 and helm's kubeVersion constraints fail.
    go build -trimpath -o "$dir/bin/$name" -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean \
      -X k8s.io/client-go/pkg/version.gitVersion=$v -X k8s.io/client-go/pkg/version.gitMajor=1 \
      -X k8s.io/client-go/pkg/version.gitMinor=$minor" \
      "k8s.io/kubernetes/cmd/$name"
    case "$name" in # each prints its version, without a cluster to ask
      kubectl) "$dir/bin/$name" version --client ;;
      kubeadm) "$dir/bin/$name" version ;;
      *) "$dir/bin/$name" --version ;;
    esac
  done
}

build_kube_apiserver() {
  log "building kube-apiserver $KUBERNETES_VERSION (several minutes on 2 cores)"
  build_kube_commands "$(apiserver_dir)" kube-apiserver
}

# What a cluster node runs (scripts/k8s/node-image.sh): the control plane's images and the node's own binaries.
build_kubernetes() {
  log "building the Kubernetes $KUBERNETES_VERSION node and control-plane binaries (about 15 minutes cold on 2 cores)"
  build_kube_commands "$(kubernetes_dir)" kubelet kubeadm kubectl kube-controller-manager kube-scheduler kube-proxy
  cp "$(apiserver_dir)/bin/kube-apiserver" "$(kubernetes_dir)/bin/"
}

# Only the CRDs of the kinds the chart renders are kept (kubectl-validate --local-crds reads the directory; the
# control plane applies them). `go mod download` ignores the modules' `replace` lines, so no wrapper is needed.
fetch_crds() {
  local dir; dir="$(crds_dir)"
  log "fetching CRDs"
  mkdir -p "$dir"
  copy_crds "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION" config/crd/bases \
    postgresql.cnpg.io_clusters.yaml postgresql.cnpg.io_poolers.yaml
  copy_crds "github.com/rabbitmq/cluster-operator/v2@$RABBITMQ_OPERATOR_VERSION" config/crd/bases \
    rabbitmq.com_rabbitmqclusters.yaml
  copy_crds "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
    example/prometheus-operator-crd monitoring.coreos.com_servicemonitors.yaml \
    monitoring.coreos.com_podmonitors.yaml monitoring.coreos.com_prometheusrules.yaml
  copy_crds "github.com/kedacore/keda/v2@$KEDA_VERSION" config/crd/bases keda.sh_scaledobjects.yaml \
    keda.sh_triggerauthentications.yaml keda.sh_clustertriggerauthentications.yaml keda.sh_scaledjobs.yaml
  ls -l "$dir"
}

copy_crds() {
  local module="$1" sub="$2"; shift 2
  local src
  src="$(cd "$TOOLS_DIR" && go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$src" ]] || die "could not download $module"
  local f
  for f in "$@"; do install -m 0644 "$src/$sub/$f" "$(crds_dir)/$f"; done
}

ensure() {
  local want=("$@")
  [[ ${#want[@]} -gt 0 ]] || want=(helm kubectl-validate crds etcd kube-apiserver)
  mkdir -p "$TOOLS_DIR"
  # A non-login shell (CI, make) may lack the Go toolchain's usual directory on PATH.
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "go is required (the tools are built from the Go module proxy)"
  local t
  for t in "${want[@]}"; do
    case "$t" in
      helm) once "$(helm_dir)" build_helm ;;
      kubectl-validate) once "$(kv_dir)" build_kubectl_validate ;;
      etcd) once "$(etcd_dir)" build_etcd ;;
      kube-apiserver) once "$(apiserver_dir)" build_kube_apiserver ;;
      kubernetes)
        once "$(apiserver_dir)" build_kube_apiserver
        once "$(kubernetes_dir)" build_kubernetes
        ;;
      crds) once "$(crds_dir)" fetch_crds ;;
      *) die "unknown tool: $t" ;;
    esac
  done
  print_env
}

case "${1:-ensure}" in
  ensure) shift || true; ensure "$@" ;;
  env) print_env ;;
  versions) print_versions ;;
  *) die "usage: $0 ensure [tool...] | env | versions" ;;
esac
