#!/usr/bin/env bash
# Creates the kind cluster "offndat" (k8s/kind-config.yaml) unless it exists, points kubectl at it and installs
# the operators the chart needs (k8s/install-operators.sh; AUTOSCALING=keda|hpa|none, default keda).
# Safe to re-run: an existing cluster is reused and the operator releases are upgraded in place.
set -euo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

require_docker
require_kubectl
kind="$(kind_bin)"
helm="$(helm_bin)"

if cluster_exists "$kind"; then
  log "cluster $CLUSTER already exists; reusing it"
else
  log "creating cluster $CLUSTER"
  "$kind" create cluster --name "$CLUSTER" --config "$ROOT/k8s/kind-config.yaml" --wait 180s
fi
kubectl config use-context "kind-$CLUSTER" >/dev/null
kubectl wait --for=condition=Ready nodes --all --timeout=180s >/dev/null

HELM="$helm" AUTOSCALING="${AUTOSCALING:-keda}" "$ROOT/k8s/install-operators.sh"
log "ready: kubectl context kind-$CLUSTER"
