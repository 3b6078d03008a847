#!/usr/bin/env bash
# Creates the kind cluster "offndat" (k8s/kind-config.yaml) unless it exists, points kubectl at it and installs
# the operators the chart needs. Safe to re-run: an existing cluster is reused and the operators are re-applied.
#
#   OPERATORS=airgapped (default)  every image built here (scripts/k8s/images.sh, scripts/k8s/node-image.sh),
#                                  loaded into the node, operators installed by k8s/airgapped/install-operators.sh
#   OPERATORS=upstream             the public node image and operator releases (k8s/install-operators.sh); needs
#                                  the public registries
#   AUTOSCALING=keda|hpa|none      which autoscaling backend to install (default keda)
#
# Cold, the air-gapped path builds Kubernetes, the operators and every image from source: about an hour on 2 cores.
set -euo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

OPERATORS="${OPERATORS:-airgapped}"
case "$OPERATORS" in airgapped | upstream) ;; *) die "OPERATORS must be airgapped or upstream (got '$OPERATORS')" ;; esac
started=$SECONDS
# Each phase's time, for the record kind-e2e.sh writes (test/kind/results/).
RECORD_FILE="$ROOT/.data/kind-up-last.md"
mkdir -p "$ROOT/.data"
phases=()
phase() { # title command...
  local title="$1" t0=$SECONDS
  shift
  "$@"
  phases+=("| $title | $((SECONDS - t0)) s |")
}

require_docker
require_kubectl
kind="$(kind_bin)"
helm="$(helm_bin)"

config="$ROOT/k8s/kind-config.yaml"
if [[ $OPERATORS == airgapped ]]; then
  phase "images: Debian base, Kubernetes, node add-ons, operators, data services" \
    "$ROOT/scripts/k8s/images.sh" ensure base node operators data
  phase "kind node image" "$ROOT/scripts/k8s/node-image.sh"
else
  # The public node image of this kind release, instead of the one built here.
  config="$(mktemp /tmp/offndat-kind-config.XXXXXX.yaml)"
  sed '/^    image: /d' "$ROOT/k8s/kind-config.yaml" >"$config"
fi

if cluster_exists "$kind"; then
  log "cluster $CLUSTER already exists; reusing it"
else
  log "creating cluster $CLUSTER"
  phase "kind create cluster" "$kind" create cluster --name "$CLUSTER" --config "$config" --wait 300s
fi
kubectl config use-context "kind-$CLUSTER" >/dev/null
kubectl wait --for=condition=Ready nodes --all --timeout=300s >/dev/null

if [[ $OPERATORS == airgapped ]]; then
  mapfile -t images < <("$ROOT/scripts/k8s/images.sh" list operators data)
  log "loading ${#images[@]} images into the node (kind skips those it already has)"
  phase "load operator and data images into the node" \
    "$kind" load docker-image --name "$CLUSTER" "${images[@]}" >/dev/null 2>"$ROOT/.data/kind-load.log"
  phase "operators (air-gapped install)" \
    env KUBECTL=kubectl AUTOSCALING="${AUTOSCALING:-keda}" "$ROOT/k8s/airgapped/install-operators.sh"
else
  phase "operators (upstream releases)" env HELM="$helm" AUTOSCALING="${AUTOSCALING:-keda}" "$ROOT/k8s/install-operators.sh"
fi
{
  echo "make kind-up, $(date -u '+%F %H:%M') UTC, OPERATORS=$OPERATORS, AUTOSCALING=${AUTOSCALING:-keda}:" \
    "$((SECONDS - started)) s in all."
  echo
  echo '| phase | time |'
  echo '|---|---|'
  printf '%s\n' "${phases[@]}"
} >"$RECORD_FILE"
log "ready in $((SECONDS - started))s: kubectl context kind-$CLUSTER"
