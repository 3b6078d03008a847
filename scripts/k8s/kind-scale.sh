#!/usr/bin/env bash
# Scaling and failure scenarios on the kind cluster of `make kind-e2e` (loadtest/cluster/run.js), with k6 on this
# machine through the api Service (127.0.0.1:30080). The release is (re)installed with ci/kind-values.yaml and
# ci/kind-scale-values.yaml (short scaling windows) on the images of this checkout; for each autoscaling mode the
# other backend is removed first, since KEDA and prometheus-adapter both serve external.metrics.k8s.io.
#
#   scripts/k8s/kind-scale.sh scale            api load step and worker backlog, in every mode of MODES
#   scripts/k8s/kind-scale.sh chaos            the failure scenarios, in MODES' last mode
#   scripts/k8s/kind-scale.sh pg-primary,...   chosen scenarios (ids in loadtest/cluster/{scale,chaos}.js)
#
#   MODES="hpa keda" for scale (default), "keda" otherwise. Writes loadtest/results/cluster-<date>.md and its charts.
set -Eeuo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

what="${1:-scale}"
if [[ $what == scale ]]; then MODES="${MODES:-hpa keda}"; else MODES="${MODES:-keda}"; fi
[[ $what == chaos ]] && MODES="${MODES##* }"
VALUES=("$ROOT/charts/offndat/ci/kind-values.yaml" "$ROOT/charts/offndat/ci/kind-scale-values.yaml")
export IMAGE_TAG="${IMAGE_TAG:-e2e-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)}"
started=$SECONDS

require_docker
require_kubectl
kind="$(kind_bin)"
helm="$(helm_bin)"
cluster_exists "$kind" || die "no cluster $CLUSTER: run make kind-up (or make kind-e2e) first"
kubectl config use-context "kind-$CLUSTER" >/dev/null
K6_BIN="$("$ROOT/scripts/k6.sh")"
PLOT_PYTHON="$("$ROOT/scripts/matplotlib.sh")"
export K6_BIN PLOT_PYTHON

log "building and loading offndat-api/offndat-worker:$IMAGE_TAG"
"$ROOT/scripts/k8s/images.sh" ensure app
mapfile -t app < <("$ROOT/scripts/k8s/images.sh" list app)
"$kind" load docker-image --name "$CLUSTER" "${app[@]}" >/dev/null

# Which backend serves external metrics now: keda, hpa (prometheus-adapter) or none.
backend() {
  if kubectl -n keda get deployment keda-operator >/dev/null 2>&1; then echo keda
  elif kubectl -n monitoring get deployment prometheus-adapter >/dev/null 2>&1; then echo hpa
  else echo none; fi
}

install_release() { # mode
  "$helm" upgrade --install "$RELEASE" "$ROOT/charts/offndat" --namespace "$NAMESPACE" --create-namespace \
    "${VALUES[@]/#/--values=}" --set "autoscaling.mode=$1" \
    --set "api.image.tag=$IMAGE_TAG" --set "worker.image.tag=$IMAGE_TAG" --wait --timeout 15m >/dev/null
}

# Moves the cluster and the release to `mode`. The release leaves the old mode while its backend still runs (KEDA
# must remove its ScaledObjects' finalizers), and enters the new one once the new backend is installed.
switch_to() { # mode
  local mode="$1" now
  now="$(backend)"
  if [[ $now == "$mode" ]]; then
    log "autoscaling backend: $mode (already installed)"
  else
    log "autoscaling backend: $now -> $mode"
    if [[ $now == keda ]]; then
      if "$helm" status "$RELEASE" -n "$NAMESPACE" >/dev/null 2>&1; then install_release none; fi
      "$ROOT/k8s/airgapped/uninstall-autoscaler.sh" keda
    elif [[ $now == hpa ]]; then
      "$ROOT/k8s/airgapped/uninstall-autoscaler.sh" hpa
    fi
    # KEDA's admission webhook refuses a ScaledObject for a Deployment that an HPA of the release still scales.
    kubectl -n "$NAMESPACE" delete hpa -l "app.kubernetes.io/instance=$RELEASE" --ignore-not-found >/dev/null
    env KUBECTL=kubectl AUTOSCALING="$mode" "$ROOT/k8s/airgapped/install-operators.sh"
  fi
  log "installing the release (autoscaling.mode=$mode, ci/kind-values.yaml + ci/kind-scale-values.yaml)"
  install_release "$mode"
  all_ready >/dev/null
}

# The npm dependencies the runner needs are the repository's own (the kind-e2e smoke test uses them too).
[[ -d $ROOT/node_modules ]] || (cd "$ROOT" && npm ci --no-audit --no-fund)
status=0
for mode in $MODES; do
  switch_to "$mode"
  MODE="$mode" node "$ROOT/loadtest/cluster/run.js" "$what" || status=$?
done
log "done in $((SECONDS - started)) s"
exit "$status"
