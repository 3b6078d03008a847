#!/usr/bin/env bash
# Builds, on this machine and without any registry, every image a kind cluster of offndat runs: the air-gapped
# install path. Programs come from their Go modules (source, CRDs and manifests all from the module the proxy
# serves), data services and Node.js from Debian's packages, everything on a Debian base made with debootstrap.
#
#   scripts/k8s/images.sh ensure [group...]   build what is missing (every group by default)
#   scripts/k8s/images.sh list [group...]     the image references, one per line
#   scripts/k8s/images.sh env                 KEY=VALUE lines: every image reference and version used elsewhere
#
# Groups: base (Debian, Node.js), node (what the kind node preloads: control plane, etcd, CoreDNS, pause,
# kube-router, local-path-provisioner), operators (CloudNativePG, RabbitMQ cluster operator, prometheus-operator,
# prometheus-adapter, metrics-server, KEDA), data (PostgreSQL, RabbitMQ, Redis, Prometheus), app (offndat's api and
# worker, tag IMAGE_TAG). Binaries are cached under the tools cache by version, images in Docker by tag: a warm run
# builds nothing. REBUILD=1 rebuilds the images (not the binaries).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# --- Pinned versions (mirrored in the Makefile's pinned-versions block) -----------------------------------------
: "${KUBERNETES_VERSION:=v1.35.4}"
: "${CNPG_VERSION:=v1.30.0}"
: "${RABBITMQ_OPERATOR_VERSION:=v2.22.1}"
: "${PROMETHEUS_OPERATOR_VERSION:=v0.93.0}"
: "${PROMETHEUS_ADAPTER_VERSION:=v0.12.0}"
: "${METRICS_SERVER_VERSION:=v0.8.0}"
: "${KEDA_VERSION:=v2.20.2}"
# kube-router enforces NetworkPolicies (iptables + ipset); v2.1.0 is the newest the Go module proxy serves.
: "${KUBE_ROUTER_VERSION:=v2.1.0}"
: "${LOCAL_PATH_PROVISIONER_VERSION:=v0.0.30}"
: "${CRI_TOOLS_VERSION:=v1.34.0}"
# Debian release of every base image, and the majors of the data services it ships.
: "${DEBIAN_SUITE:=trixie}"
: "${POSTGRESQL_MAJOR:=17}"
# ----------------------------------------------------------------------------------------------------------------

REGISTRY="${LOCAL_REGISTRY:-offndat.local}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
IMAGE_TAG="${IMAGE_TAG:-dev}"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false"

log() { printf '[images] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/k8s/docker-lib.sh
source "$HERE/docker-lib.sh"
# shellcheck source=scripts/k8s/once-lib.sh
source "$HERE/once-lib.sh"

module_dir() { # module@version
  (cd "$TOOLS_DIR" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# What kubeadm of the pinned release deploys besides its own binaries, read from its source.
kubeadm_constant() { # name
  sed -n "s/^[[:space:]]*$1 = \"\\(.*\\)\"/\\1/p" "$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")/cmd/kubeadm/app/constants/constants.go"
}

BASE_IMAGE="$REGISTRY/debian:$DEBIAN_SUITE"
NODE_IMAGE="$REGISTRY/node:20"

print_env() {
  local etcd coredns pause
  etcd="$(kubeadm_constant DefaultEtcdVersion)"
  coredns="$(kubeadm_constant CoreDNSVersion)"
  pause="$(kubeadm_constant PauseVersion)"
  cat <<ENV
LOCAL_REGISTRY=$REGISTRY
BASE_IMAGE=$BASE_IMAGE
NODE_IMAGE=$NODE_IMAGE
KUBERNETES_VERSION=$KUBERNETES_VERSION
KUBE_IMAGE_REPOSITORY=$REGISTRY/k8s
ETCD_IMAGE=$REGISTRY/k8s/etcd:$etcd
COREDNS_IMAGE=$REGISTRY/k8s/coredns:$coredns
PAUSE_IMAGE=$REGISTRY/k8s/pause:$pause
KUBE_ROUTER_IMAGE=$REGISTRY/kube-router:$KUBE_ROUTER_VERSION
LOCAL_PATH_PROVISIONER_IMAGE=$REGISTRY/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION
LOCAL_PATH_HELPER_IMAGE=$BASE_IMAGE
CNPG_VERSION=$CNPG_VERSION
CNPG_IMAGE=$REGISTRY/cloudnative-pg:$CNPG_VERSION
RABBITMQ_OPERATOR_VERSION=$RABBITMQ_OPERATOR_VERSION
RABBITMQ_OPERATOR_IMAGE=$REGISTRY/rabbitmq-cluster-operator:$RABBITMQ_OPERATOR_VERSION
PROMETHEUS_OPERATOR_VERSION=$PROMETHEUS_OPERATOR_VERSION
PROMETHEUS_OPERATOR_IMAGE=$REGISTRY/prometheus-operator:$PROMETHEUS_OPERATOR_VERSION
PROMETHEUS_CONFIG_RELOADER_IMAGE=$REGISTRY/prometheus-config-reloader:$PROMETHEUS_OPERATOR_VERSION
PROMETHEUS_ADAPTER_VERSION=$PROMETHEUS_ADAPTER_VERSION
PROMETHEUS_ADAPTER_IMAGE=$REGISTRY/prometheus-adapter:$PROMETHEUS_ADAPTER_VERSION
METRICS_SERVER_VERSION=$METRICS_SERVER_VERSION
METRICS_SERVER_IMAGE=$REGISTRY/metrics-server:$METRICS_SERVER_VERSION
KEDA_VERSION=$KEDA_VERSION
KEDA_IMAGE=$REGISTRY/keda:$KEDA_VERSION
KEDA_METRICS_APISERVER_IMAGE=$REGISTRY/keda-metrics-apiserver:$KEDA_VERSION
KEDA_WEBHOOKS_IMAGE=$REGISTRY/keda-admission-webhooks:$KEDA_VERSION
POSTGRESQL_IMAGE=$REGISTRY/postgresql:$POSTGRESQL_MAJOR-$DEBIAN_SUITE
RABBITMQ_IMAGE=$REGISTRY/rabbitmq:4-$DEBIAN_SUITE
REDIS_IMAGE=$REGISTRY/redis:8-$DEBIAN_SUITE
PROMETHEUS_IMAGE=$REGISTRY/prometheus:2-$DEBIAN_SUITE
CRICTL_BIN=$TOOLS_DIR/cri-tools-$CRI_TOOLS_VERSION/bin/crictl
API_IMAGE=offndat-api:$IMAGE_TAG
WORKER_IMAGE=offndat-worker:$IMAGE_TAG
ENV
}

image_var() { print_env | sed -n "s/^$1=//p"; }

have_image() { [[ -z ${REBUILD:-} ]] && docker image inspect "$1" >/dev/null 2>&1; }

# --- Go programs ------------------------------------------------------------------------------------------------

# Builds packages of a module from a copy of its own source (so its go.mod, replace lines and vendor/ apply) into
# <tools dir>/<name>-<version>/bin; "package:binary" names the binary. Extra `go build` flags come from
# GO_BUILD_FLAGS (an array set by the caller).
go_module_build() { # name module version package[:binary]...
  local name="$1" module="$2" version="$3"; shift 3
  local dir="$TOOLS_DIR/$name-$version"
  # Every command is checked: `once` runs this in a condition, where errexit does not apply.
  build() {
    local src
    src="$(module_dir "$module@$version")"
    [[ -d $src ]] || { log "could not download $module@$version"; return 1; }
    rm -rf "$dir/src" && mkdir -p "$dir/bin" && cp -r "$src" "$dir/src" && chmod -R u+w "$dir/src" || return 1
    cd "$dir/src" || return 1
    # A module's zip leaves out vendored packages (so vendor/ is incomplete), and nested modules, whose replace
    # lines then point at directories that are not there: resolve both from the module proxy instead.
    rm -rf vendor
    local rep
    for rep in $(go mod edit -json | jq -r '.Replace[]? | select(.New.Path | startswith(".")) | .Old.Path'); do
      go mod edit -dropreplace "$rep" || return 1
    done
    local spec pkg out
    for spec in "$@"; do
      pkg="${spec%%:*}" out="$dir/bin/"
      [[ $spec == *:* ]] && out="$dir/bin/${spec#*:}"
      log "compiling $module $pkg $version"
      go build -mod=mod -trimpath "${GO_BUILD_FLAGS[@]}" -o "$out" "$pkg" || return 1
    done
    ls -l "$dir/bin"
  }
  once "$dir" build "$@"
  unset -f build
}

# An image of Go binaries (k8s/images/binary/Dockerfile); EXTRA_LINKS ("path=binary ...") adds more paths.
binary_image() { # image entrypoint uid packages bin...
  local image="$1" entry="$2" uid="$3" packages="$4"; shift 4
  have_image "$image" && return 0
  local ctx
  ctx="$(mktemp -d /tmp/offndat-image.XXXXXX)"
  mkdir -p "$ctx/bin"
  cp "$ROOT/k8s/images/binary/Dockerfile" "$ctx/"
  local b
  for b in "$@"; do cp "$b" "$ctx/bin/"; done
  log "building $image"
  docker_build --build-arg BASE="$BASE_IMAGE" --build-arg ENTRYPOINT_BINARY="$entry" --build-arg UID="$uid" \
    --build-arg PACKAGES="$packages" --build-arg EXTRA_LINKS="${EXTRA_LINKS:-}" -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
}

dockerfile_image() { # image dir [build-arg...]
  local image="$1" dir="$2"; shift 2
  have_image "$image" && return 0
  log "building $image"
  local args=() a
  for a in "$@"; do args+=(--build-arg "$a"); done
  docker_build --build-arg BASE="$BASE_IMAGE" "${args[@]}" -t "$image" "$dir"
}

# --- Groups -----------------------------------------------------------------------------------------------------

group_base() {
  "$HERE/debian-base.sh" "$BASE_IMAGE"
  dockerfile_image "$NODE_IMAGE" "$ROOT/k8s/images/node"
}

group_node() {
  local kbin
  kbin="$("$HERE/tools.sh" ensure kubernetes | sed -n 's/^KUBERNETES_BIN_DIR=//p')"
  local repo="$REGISTRY/k8s" c
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    binary_image "$repo/$c:$KUBERNETES_VERSION" "$c" 0 "" "$kbin/$c"
  done
  # kube-proxy programs the node's netfilter through these tools, as root.
  binary_image "$repo/kube-proxy:$KUBERNETES_VERSION" kube-proxy 0 "iptables conntrack nftables ipset" "$kbin/kube-proxy"

  local etcd_version etcd_bin
  etcd_version="$(kubeadm_constant DefaultEtcdVersion)"
  etcd_bin="$(ETCD_VERSION="v${etcd_version%-*}" "$HERE/tools.sh" ensure etcd | sed -n 's/^ETCD_BIN=//p')"
  binary_image "$(image_var ETCD_IMAGE)" etcd 0 "" "$etcd_bin"

  local coredns_version
  coredns_version="$(kubeadm_constant CoreDNSVersion)"
  GO_BUILD_FLAGS=(-ldflags "-s -w")
  go_module_build coredns github.com/coredns/coredns "$coredns_version" .
  # Root: the Corefile listens on port 53, and kubeadm's Deployment adds NET_BIND_SERVICE only for that.
  binary_image "$(image_var COREDNS_IMAGE)" coredns 0 "" "$TOOLS_DIR/coredns-$coredns_version/bin/coredns"

  local pause_version pause_dir
  pause_version="$(kubeadm_constant PauseVersion)"
  pause_dir="$TOOLS_DIR/pause-$pause_version"
  build_pause() {
    mkdir -p "$pause_dir/bin"
    gcc -Os -static -DVERSION="$pause_version" -o "$pause_dir/bin/pause" \
      "$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")/build/pause/linux/pause.c"
    "$pause_dir/bin/pause" -v
  }
  once "$pause_dir" build_pause
  binary_image "$(image_var PAUSE_IMAGE)" pause 65535 "" "$pause_dir/bin/pause"

  GO_BUILD_FLAGS=(-ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$KUBE_ROUTER_VERSION")
  go_module_build kube-router github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION" ./cmd/kube-router
  binary_image "$(image_var KUBE_ROUTER_IMAGE)" kube-router 0 "iptables ipset iproute2 conntrack" \
    "$TOOLS_DIR/kube-router-$KUBE_ROUTER_VERSION/bin/kube-router"

  GO_BUILD_FLAGS=(-ldflags "-s -w")
  go_module_build local-path-provisioner github.com/rancher/local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" .
  binary_image "$(image_var LOCAL_PATH_PROVISIONER_IMAGE)" local-path-provisioner 0 "" \
    "$TOOLS_DIR/local-path-provisioner-$LOCAL_PATH_PROVISIONER_VERSION/bin/local-path-provisioner"

  # crictl is not an image: the node image installs it (scripts/k8s/node-image.sh).
  go_module_build cri-tools sigs.k8s.io/cri-tools "$CRI_TOOLS_VERSION" ./cmd/crictl
}

group_operators() {
  local v="${CNPG_VERSION#v}"
  GO_BUILD_FLAGS=(-ldflags "-s -w -X github.com/cloudnative-pg/cloudnative-pg/pkg/versions.buildVersion=$v")
  go_module_build cloudnative-pg github.com/cloudnative-pg/cloudnative-pg "$CNPG_VERSION" ./cmd/manager
  # uid 10001: the operator's Deployment runs it so; /manager is also what it copies into every PostgreSQL pod, and
  # /operator/manager_<arch> is where it looks for the instance manager of each architecture it can serve.
  EXTRA_LINKS="/operator/manager_$(go env GOARCH)=manager" \
    binary_image "$(image_var CNPG_IMAGE)" manager 10001 "" "$TOOLS_DIR/cloudnative-pg-$CNPG_VERSION/bin/manager"

  GO_BUILD_FLAGS=(-ldflags "-s -w" -tags timetzdata)
  go_module_build rabbitmq-cluster-operator github.com/rabbitmq/cluster-operator/v2 "$RABBITMQ_OPERATOR_VERSION" \
    ./cmd:manager
  binary_image "$(image_var RABBITMQ_OPERATOR_IMAGE)" manager 1000 "" \
    "$TOOLS_DIR/rabbitmq-cluster-operator-$RABBITMQ_OPERATOR_VERSION/bin/manager"

  local pv="$PROMETHEUS_OPERATOR_VERSION"
  GO_BUILD_FLAGS=(-ldflags "-s -w -X github.com/prometheus/common/version.Version=${pv#v}")
  go_module_build prometheus-operator github.com/prometheus-operator/prometheus-operator "$pv" \
    ./cmd/operator ./cmd/prometheus-config-reloader
  binary_image "$(image_var PROMETHEUS_OPERATOR_IMAGE)" operator 65534 "" "$TOOLS_DIR/prometheus-operator-$pv/bin/operator"
  binary_image "$(image_var PROMETHEUS_CONFIG_RELOADER_IMAGE)" prometheus-config-reloader 65534 "" \
    "$TOOLS_DIR/prometheus-operator-$pv/bin/prometheus-config-reloader"

  GO_BUILD_FLAGS=(-ldflags "-s -w")
  go_module_build prometheus-adapter sigs.k8s.io/prometheus-adapter "$PROMETHEUS_ADAPTER_VERSION" ./cmd/adapter
  binary_image "$(image_var PROMETHEUS_ADAPTER_IMAGE)" adapter 65534 "" \
    "$TOOLS_DIR/prometheus-adapter-$PROMETHEUS_ADAPTER_VERSION/bin/adapter"

  go_module_build metrics-server sigs.k8s.io/metrics-server "$METRICS_SERVER_VERSION" ./cmd/metrics-server
  binary_image "$(image_var METRICS_SERVER_IMAGE)" metrics-server 65534 "" \
    "$TOOLS_DIR/metrics-server-$METRICS_SERVER_VERSION/bin/metrics-server"

  local kv="$KEDA_VERSION"
  GO_BUILD_FLAGS=(-ldflags "-s -w -X github.com/kedacore/keda/v2/version.Version=${kv#v}")
  log "KEDA is the largest build here (about 15 minutes cold on 2 cores)"
  go_module_build keda github.com/kedacore/keda/v2 "$kv" \
    ./cmd/operator:keda ./cmd/adapter:keda-adapter ./cmd/webhooks:keda-admission-webhooks
  local kb="$TOOLS_DIR/keda-$kv/bin"
  binary_image "$(image_var KEDA_IMAGE)" keda 1000 "" "$kb/keda"
  binary_image "$(image_var KEDA_METRICS_APISERVER_IMAGE)" keda-adapter 1000 "" "$kb/keda-adapter"
  binary_image "$(image_var KEDA_WEBHOOKS_IMAGE)" keda-admission-webhooks 1000 "" "$kb/keda-admission-webhooks"
}

group_data() {
  dockerfile_image "$(image_var POSTGRESQL_IMAGE)" "$ROOT/k8s/images/postgresql" "PG_MAJOR=$POSTGRESQL_MAJOR"
  dockerfile_image "$(image_var RABBITMQ_IMAGE)" "$ROOT/k8s/images/rabbitmq"
  dockerfile_image "$(image_var REDIS_IMAGE)" "$ROOT/k8s/images/redis"
  dockerfile_image "$(image_var PROMETHEUS_IMAGE)" "$ROOT/k8s/images/prometheus"
}

# offndat itself, from the root Dockerfile on the local Node.js base; always rebuilt (Docker's cache keeps it quick).
group_app() {
  log "building $(image_var API_IMAGE) and $(image_var WORKER_IMAGE)"
  docker_build --build-arg NODE_IMAGE="$NODE_IMAGE" --target api -t "$(image_var API_IMAGE)" "$ROOT"
  docker_build --build-arg NODE_IMAGE="$NODE_IMAGE" --target worker -t "$(image_var WORKER_IMAGE)" "$ROOT"
}

list_group() {
  case "$1" in
    base) image_var BASE_IMAGE; image_var NODE_IMAGE ;;
    node)
      local c
      for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
        printf '%s/k8s/%s:%s\n' "$REGISTRY" "$c" "$KUBERNETES_VERSION"
      done
      image_var ETCD_IMAGE; image_var COREDNS_IMAGE; image_var PAUSE_IMAGE; image_var KUBE_ROUTER_IMAGE
      image_var LOCAL_PATH_PROVISIONER_IMAGE; image_var LOCAL_PATH_HELPER_IMAGE
      ;;
    operators)
      local k
      for k in CNPG RABBITMQ_OPERATOR PROMETHEUS_OPERATOR PROMETHEUS_CONFIG_RELOADER PROMETHEUS_ADAPTER METRICS_SERVER \
        KEDA KEDA_METRICS_APISERVER KEDA_WEBHOOKS; do image_var "${k}_IMAGE"; done
      ;;
    data) image_var POSTGRESQL_IMAGE; image_var RABBITMQ_IMAGE; image_var REDIS_IMAGE; image_var PROMETHEUS_IMAGE ;;
    app) image_var API_IMAGE; image_var WORKER_IMAGE ;;
    *) die "unknown group: $1" ;;
  esac
}

ALL_GROUPS=(base node operators data app)

main() {
  local cmd="${1:-ensure}"
  shift || true
  local groups=("$@")
  ((${#groups[@]})) || groups=("${ALL_GROUPS[@]}")
  case "$cmd" in
    ensure)
      mkdir -p "$TOOLS_DIR"
      ensure_docker
      # Everything builds on the base and the app on the Node.js image: ensure them (REBUILD applies only to the
      # groups asked for).
      [[ " ${groups[*]} " == *" base "* ]] || REBUILD="" group_base
      local g started
      for g in "${groups[@]}"; do
        started=$SECONDS
        "group_$g"
        log "$g images ready ($((SECONDS - started))s)"
      done
      ;;
    list) local g; for g in "${groups[@]}"; do list_group "$g"; done ;;
    env) print_env ;;
    *) die "usage: $0 ensure [group...] | list [group...] | env" ;;
  esac
}

main "$@"
