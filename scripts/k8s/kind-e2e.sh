#!/usr/bin/env bash
# End to end on kind: cluster and operators (kind-up.sh), both images built and loaded into the nodes, the chart
# installed with a ci scenario (SCENARIO=minimal by default), `helm test`, then test/kind/smoke.ts (create a
# link, follow it, see the visit counted). On failure it prints what the namespace holds, for the CI log.
set -euo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

SCENARIO="${SCENARIO:-minimal}"
TAG="${IMAGE_TAG:-e2e-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)}"
VALUES="$ROOT/charts/offndat/ci/$SCENARIO-values.yaml"
[[ -f "$VALUES" ]] || die "no scenario $SCENARIO ($VALUES)"

diagnose() {
  log "failed; state of namespace $NAMESPACE:"
  kubectl -n "$NAMESPACE" get pods,jobs,svc,clusters.postgresql.cnpg.io,rabbitmqclusters.rabbitmq.com -o wide 2>&1 || true
  kubectl -n "$NAMESPACE" get events --sort-by=.lastTimestamp 2>&1 | tail -40 || true
  for pod in $(kubectl -n "$NAMESPACE" get pods -o name 2>/dev/null); do
    log "logs of $pod"
    kubectl -n "$NAMESPACE" logs "$pod" --all-containers --tail=40 2>&1 || true
  done
}

"$ROOT/scripts/k8s/kind-up.sh"
kind="$(kind_bin)"
helm="$(helm_bin)"
trap diagnose ERR

log "building images offndat-api:$TAG and offndat-worker:$TAG"
docker build --target api -t "offndat-api:$TAG" "$ROOT"
docker build --target worker -t "offndat-worker:$TAG" "$ROOT"
"$kind" load docker-image "offndat-api:$TAG" "offndat-worker:$TAG" --name "$CLUSTER"

log "installing release $RELEASE ($SCENARIO scenario) into $NAMESPACE"
"$helm" upgrade --install "$RELEASE" "$ROOT/charts/offndat" --namespace "$NAMESPACE" --create-namespace \
  --values "$VALUES" \
  --set "api.image.tag=$TAG" --set "worker.image.tag=$TAG" \
  --set api.image.pullPolicy=Never --set worker.image.pullPolicy=Never \
  --wait --timeout 15m

log "helm test"
"$helm" test "$RELEASE" --namespace "$NAMESPACE" --timeout 5m --logs

log "smoke test"
out="$ROOT/.cache/kind-smoke"
rm -rf "$out"
(cd "$ROOT" && npx tsc --module node16 --moduleResolution node16 --target es2022 --strict --skipLibCheck \
  --types node --rootDir test/kind --outDir "$out" test/kind/smoke.ts)
NAMESPACE="$NAMESPACE" RELEASE="$RELEASE" node "$out/smoke.js"
log "kind e2e passed"
