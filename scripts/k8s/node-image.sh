#!/usr/bin/env bash
# Builds the kind node image offline: the base (k8s/node/Dockerfile: Debian, systemd, containerd, runc, CNI
# plugins, kind's node files from the kind module), then Kubernetes' kubeadm, kubelet and kubectl, the cluster's
# add-on manifests, and every image the node runs preloaded into its containerd, the way `kind build node-image`
# lays a node out. (That command pulls each image the release tarball lacks; here nothing can be pulled.)
#
#   scripts/k8s/node-image.sh            build $KIND_NODE_IMAGE unless it exists (REBUILD=1 rebuilds)
#   scripts/k8s/node-image.sh name       print the image reference
#
# The node runs a single-node cluster: pods get addresses from a static ptp network (k8s/node/*.conflist, the kind
# config's podSubnet), NetworkPolicies are enforced by kube-router, volumes come from local-path-provisioner.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
: "${KUBERNETES_VERSION:=v1.35.4}"
: "${KIND_VERSION:=v0.33.0}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
IMAGE="${KIND_NODE_IMAGE:-offndat.local/kind-node:$KUBERNETES_VERSION}"

log() { printf '[node-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/k8s/docker-lib.sh
source "$HERE/docker-lib.sh"

[[ ${1:-} == name ]] && { printf '%s\n' "$IMAGE"; exit 0; }
if [[ -z ${REBUILD:-} ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE exists (REBUILD=1 rebuilds it)"
  exit 0
fi

"$HERE/images.sh" ensure node
declare -A img
while IFS='=' read -r k v; do img[$k]="$v"; done < <("$HERE/images.sh" env)
kbin="$("$HERE/tools.sh" ensure kubernetes | sed -n 's/^KUBERNETES_BIN_DIR=//p')"
kind_src="$(cd "$TOOLS_DIR" && go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d $kind_src/images/base/files ]] || die "the kind module $KIND_VERSION has no images/base/files"

work="$(mktemp -d /tmp/offndat-node-image.XXXXXX)"
container=""
cleanup() {
  [[ -z $container ]] || docker rm -f -v "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

log "building the node base image"
mkdir -p "$work/ctx/bin"
cp -r "$kind_src/images/base/files" "$work/ctx/kind"
chmod -R u+w "$work/ctx/kind"
cp "${img[CRICTL_BIN]}" "$work/ctx/bin/"
cp "$ROOT"/k8s/node/{Dockerfile,offndat-runc,10-offndat-ptp.conflist,offndat-service-guard.service} "$work/ctx/"
docker_build --build-arg BASE="${img[BASE_IMAGE]}" --build-arg PAUSE_IMAGE="${img[PAUSE_IMAGE]}" \
  -t "$IMAGE-base" "$work/ctx" >/dev/null

log "adding Kubernetes $KUBERNETES_VERSION and the preloaded images"
container="offndat-node-build-$$"
docker run -d --name "$container" --entrypoint=sleep --security-opt seccomp=unconfined "$IMAGE-base" infinity >/dev/null
for b in kubeadm kubelet kubectl; do
  docker cp "$kbin/$b" "$container:/usr/bin/$b"
done
in_node() { docker exec -i "$container" "$@"; }
in_node chmod 0755 /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl
printf '%s' "$KUBERNETES_VERSION" | in_node tee /kind/version >/dev/null

# kind applies these after kubeadm init: /kind/manifests/default-cni.yaml (here: NetworkPolicy enforcement, the
# network itself being the static CNI config) and default-storage.yaml (the default StorageClass).
render() { # file
  sed -e "s#@KUBE_ROUTER_IMAGE@#${img[KUBE_ROUTER_IMAGE]}#g" \
    -e "s#@LOCAL_PATH_PROVISIONER_IMAGE@#${img[LOCAL_PATH_PROVISIONER_IMAGE]}#g" \
    -e "s#@LOCAL_PATH_HELPER_IMAGE@#${img[LOCAL_PATH_HELPER_IMAGE]}#g" "$1"
}
in_node mkdir -p /kind/manifests
render "$ROOT/k8s/node/network-policy.yaml" | in_node tee /kind/manifests/default-cni.yaml >/dev/null
render "$ROOT/k8s/node/storage.yaml" | in_node tee /kind/manifests/default-storage.yaml >/dev/null

# containerd in the build container, to import the images into the content store the node will boot with.
docker exec -d "$container" sh -c 'exec containerd >/var/log/containerd-build.log 2>&1'
for _ in $(seq 30); do in_node ctr info >/dev/null 2>&1 && break; sleep 1; done
in_node ctr info >/dev/null 2>&1 || die "containerd did not start in the build container"
mapfile -t preload < <("$HERE/images.sh" list node)
for ref in "${preload[@]}"; do
  log "preloading $ref"
  docker save "$ref" | in_node ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned \
    --no-unpack --digests - >/dev/null
done
# Stopped cleanly, so its metadata is flushed; it stays a zombie (sleep, PID 1, reaps nothing), hence the state test.
in_node sh -c 'pkill -x containerd; while ps -C containerd -o stat= | grep -qv Z; do sleep 0.2; done'
in_node rm -f /var/log/containerd-build.log

docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' "$container" "$IMAGE" >/dev/null
log "built $IMAGE"
