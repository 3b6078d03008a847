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

require_docker
require_kubectl
kind="$(kind_bin)"
helm="$(helm_bin)"

config="$ROOT/k8s/kind-config.yaml"
if [[ $OPERATORS == airgapped ]]; then
  "$ROOT/scripts/k8s/images.sh" ensure base node operators data
  "$ROOT/scripts/k8s/node-image.sh"
else
  # The public node image of this kind release, instead of the one built here.
  config="$(mktemp /tmp/offndat-kind-config.XXXXXX.yaml)"
  sed '/^    image: /d' "$ROOT/k8s/kind-config.yaml" >"$config"
fi

if cluster_exists "$kind"; then
  log "cluster $CLUSTER already exists; reusing it"
else
  log "creating cluster $CLUSTER"
  "$kind" create cluster --name "$CLUSTER" --config "$config" --wait 300s
fi
kubectl config use-context "kind-$CLUSTER" >/dev/null
kubectl wait --for=condition=Ready nodes --all --timeout=300s >/dev/null

if [[ $OPERATORS == airgapped ]]; then
  mapfile -t images < <("$ROOT/scripts/k8s/images.sh" list operators data)
  log "loading ${#images[@]} images into the node (kind skips those it already has)"
  "$kind" load docker-image --name "$CLUSTER" "${images[@]}" >/dev/null
  KUBECTL=kubectl AUTOSCALING="${AUTOSCALING:-keda}" "$ROOT/k8s/airgapped/install-operators.sh"
else
  HELM="$helm" AUTOSCALING="${AUTOSCALING:-keda}" "$ROOT/k8s/install-operators.sh"
fi
log "ready in $((SECONDS - started))s: kubectl context kind-$CLUSTER"
