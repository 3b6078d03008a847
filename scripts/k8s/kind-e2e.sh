#!/usr/bin/env bash
# End to end on kind: the cluster and its operators (kind-up.sh), offndat's images built and loaded, the chart
# installed with ci/kind-values.yaml, every pod Ready, `helm test`, then from this machine through the api Service:
# create a link, follow it, read its stats until the worker has counted the visit; Prometheus scrapes api, worker,
# RabbitMQ and CloudNativePG (up == 1); the autoscaler reads its metrics; `helm upgrade` with a changed value rolls
# the pods; `helm uninstall` removes the release. Each step's outcome and time go to a record,
# test/kind/results/<date>.md (RECORD= another path, RECORD=none for none), with the events and logs of any pod
# that was not Ready in time.
#
#   AUTOSCALING=keda|hpa   (default keda)   SKIP_KIND_UP=1 reuses the cluster as it is   KEEP=1 skips the uninstall
set -Eeuo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

AUTOSCALING="${AUTOSCALING:-keda}"
VALUES="$ROOT/charts/offndat/ci/kind-values.yaml"
export IMAGE_TAG="${IMAGE_TAG:-e2e-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)}"
RECORD="${RECORD:-$ROOT/test/kind/results/$(date -u +%F).md}"
API_BASE_URL="http://127.0.0.1:30080"
started=$SECONDS
steps=()
current=""
footprint=""

record_line() { [[ $RECORD == none ]] || printf '%s\n' "$*" >>"$RECORD.partial"; }

# Runs one step, timing it; the first failure ends the run after the diagnostics are recorded.
step() { # title command...
  current="$1"; shift
  local t0=$SECONDS
  log "step: $current"
  "$@"
  steps+=("| $current | ok | $((SECONDS - t0)) s |")
  current=""
}

diagnose() {
  local status=$?
  # With set -E the trap reaches every function: a failing command in here (no cluster to ask) would call
  # diagnose again, without end.
  trap - ERR
  [[ -n $current ]] && steps+=("| $current | **failed** | |")
  log "failed at: ${current:-?}; state of namespace $NAMESPACE:"
  {
    echo
    echo "## Diagnostics"
    echo
    echo '```'
    kubectl get pods -A -o wide 2>&1 || true
    kubectl -n "$NAMESPACE" get jobs,svc,clusters.postgresql.cnpg.io,rabbitmqclusters.rabbitmq.com,hpa,scaledobjects.keda.sh 2>&1 || true
    echo '```'
    local pod
    for pod in $(kubectl get pods -A --no-headers 2>/dev/null | awk '$4 != "Running" && $4 != "Completed" || $3 !~ /^([0-9]+)\/\1$/ { print $1 "/" $2 }'); do
      echo
      echo "### $pod (not Ready)"
      echo
      echo '```'
      kubectl -n "${pod%%/*}" get events --field-selector "involvedObject.name=${pod#*/}" --sort-by=.lastTimestamp 2>&1 | tail -20 || true
      kubectl -n "${pod%%/*}" logs "${pod#*/}" --all-containers --tail=30 2>&1 || true
      echo '```'
    done
    # A TLS error names every host the answering certificate was made for: hosts outside the cluster that the
    # record has no use for, so the list is cut.
  } | sed -E 's/(certificate is valid for )[^"]*/\1(hosts elided)/' | tee -a "$RECORD.partial" >&2
  finish "failed"
  exit "$status"
}

finish() { # outcome
  [[ $RECORD == none ]] && return 0
  local body earlier=""
  body="$(cat "$RECORD.partial" 2>/dev/null || true)"
  # A day's runs share one record: the newest first, the earlier ones kept below it (cold, then warm, say).
  [[ -f $RECORD ]] && earlier="$(sed -e 's/^## /### /' -e 's/^# make kind-e2e, /## Earlier: make kind-e2e, /' "$RECORD")"
  {
    echo "# make kind-e2e, $(date -u '+%F %H:%M') UTC: $1"
    echo
    echo "Autoscaling: $AUTOSCALING. This run: $((SECONDS - started)) s$([[ -n ${SKIP_KIND_UP:-} ]] || echo ", its kind-up included")."
    echo
    if [[ -f $ROOT/.data/kind-up-last.md ]]; then
      echo "## kind-up"
      echo
      cat "$ROOT/.data/kind-up-last.md"
      echo
    fi
    echo "## Versions"
    echo
    echo '| component | version |'
    echo '|---|---|'
    "$ROOT/scripts/k8s/images.sh" env | grep -E '_VERSION=|_IMAGE=' | sed -E 's/^([A-Z_]+)=(.*)$/| \1 | `\2` |/'
    echo "| kind | \`$KIND_VERSION\` |"
    echo "| node image | \`$("$ROOT/scripts/k8s/node-image.sh" name)\` |"
    echo
    echo "## Steps"
    echo
    echo '| step | outcome | time |'
    echo '|---|---|---|'
    printf '%s\n' "${steps[@]}"
    if [[ -n $footprint ]]; then
      echo
      echo "## The node with the release installed"
      echo
      echo '```'
      printf '%s\n' "$footprint"
      echo '```'
    fi
    printf '%s\n' "$body"
    if [[ -n $earlier ]]; then
      echo
      printf '%s\n' "$earlier"
    fi
  } >"$RECORD"
  rm -f "$RECORD.partial"
  log "record: $RECORD"
}

[[ $RECORD == none ]] || { mkdir -p "$(dirname "$RECORD")"; : >"$RECORD.partial"; }
trap diagnose ERR

if [[ -z ${SKIP_KIND_UP:-} ]]; then
  step "kind-up (cluster, images, operators)" env AUTOSCALING="$AUTOSCALING" "$ROOT/scripts/k8s/kind-up.sh"
fi
require_docker
require_kubectl
kind="$(kind_bin)"
helm="$(helm_bin)"
kubectl config use-context "kind-$CLUSTER" >/dev/null

image_of() { "$ROOT/scripts/k8s/images.sh" env | sed -n "s/^$1=//p"; }

load_app() {
  "$ROOT/scripts/k8s/images.sh" ensure app
  mapfile -t app < <("$ROOT/scripts/k8s/images.sh" list app)
  "$kind" load docker-image --name "$CLUSTER" "${app[@]}" >/dev/null
}
step "build and load offndat-api/offndat-worker:$IMAGE_TAG" load_app

# What the release keeps after an uninstall (helm.sh/resource-policy: keep), and the volumes under it.
delete_kept_data() {
  kubectl -n "$NAMESPACE" delete clusters.postgresql.cnpg.io,rabbitmqclusters.rabbitmq.com --all --wait=true \
    --timeout=180s >/dev/null
  kubectl -n "$NAMESPACE" delete secret -l "app.kubernetes.io/instance=$RELEASE" --ignore-not-found >/dev/null
  kubectl -n "$NAMESPACE" delete pvc --all --wait=false >/dev/null
}

# A failed run (or KEEP=1, or make kind-scale) leaves its release and data behind. An upgrade over them would not
# be the first install a user makes, and pods of the old release would still be going while this one is judged.
fresh_start() {
  if "$helm" status "$RELEASE" --namespace "$NAMESPACE" >/dev/null 2>&1; then
    log "removing release $RELEASE left by an earlier run"
    "$helm" uninstall "$RELEASE" --namespace "$NAMESPACE" --wait --timeout 5m >/dev/null
  fi
  delete_kept_data
  # The operators would take over a volume that is still going away, under a new cluster of the same name.
  kubectl -n "$NAMESPACE" wait --for=delete pvc --all --timeout=180s >/dev/null 2>&1 || true
}
step "no release or data left from an earlier run" fresh_start

install() {
  "$helm" upgrade --install "$RELEASE" "$ROOT/charts/offndat" --namespace "$NAMESPACE" --create-namespace \
    --values "$VALUES" --set "autoscaling.mode=$AUTOSCALING" \
    --set "api.image.tag=$IMAGE_TAG" --set "worker.image.tag=$IMAGE_TAG" "$@" --wait --timeout 15m
}
step "helm install (ci/kind-values.yaml, autoscaling $AUTOSCALING)" install

step "every pod Ready" all_ready

step "helm test" "$helm" test "$RELEASE" --namespace "$NAMESPACE" --timeout 5m --logs

# Compiles and runs one of test/kind/*.ts from this machine.
kind_check() { # name
  local out="$ROOT/.cache/kind-$1"
  rm -rf "$out"
  (cd "$ROOT" && npx tsc --module node16 --moduleResolution node16 --target es2022 --strict --skipLibCheck \
    --types node --rootDir test/kind --outDir "$out" "test/kind/$1.ts")
  API_BASE_URL="$API_BASE_URL" NAMESPACE="$NAMESPACE" RELEASE="$RELEASE" node "$out/$1.js"
}
step "create, follow, count a visit through the api Service ($API_BASE_URL)" kind_check smoke
step "a ShortLink resource becomes a link the api Service redirects, and its deletion takes it down" \
  kind_check shortlink

# Prometheus through the API server's service proxy: no port of the cluster is opened for it.
promql() { # query -> JSON result array
  kubectl get --raw "/api/v1/namespaces/monitoring/services/prometheus:web/proxy/api/v1/query?query=$(jq -rn --arg q "$1" '$q | @uri')" |
    jq -c '.data.result'
}
scraped() {
  local deadline=$((SECONDS + 300)) missing
  while :; do
    missing=""
    local target
    # By container: the job names differ between PodMonitors and the operators' ServiceMonitors.
    for target in api:api worker:worker rabbitmq:rabbitmq cnpg:postgres; do
      local up
      up="$(promql "min(up{namespace=\"$NAMESPACE\",container=\"${target#*:}\"})" | jq -r '.[0].value[1] // "absent"')"
      [[ $up == 1 ]] || missing+=" ${target%%:*}($up)"
    done
    [[ -z $missing ]] && { log "up == 1 for api, worker, rabbitmq, cnpg"; return 0; }
    ((SECONDS < deadline)) || { log "not scraped:$missing"; promql "up{namespace=\"$NAMESPACE\"}" >&2; return 1; }
    sleep 10
  done
}
step "Prometheus scrapes api, worker, RabbitMQ, CloudNativePG (up == 1)" scraped

autoscaler_reads_metrics() {
  local deadline=$((SECONDS + 300)) bad
  while :; do
    # Every HPA (KEDA creates one per ScaledObject): ScalingActive true and a current value for every metric.
    bad="$(kubectl -n "$NAMESPACE" get hpa -o json | jq -r '.items[] | select(
        ([.status.conditions[]? | select(.type == "ScalingActive" and .status == "True")] | length == 0)
        or ((.status.currentMetrics // []) | length) < (.spec.metrics | length)
      ) | .metadata.name')"
    if [[ $AUTOSCALING == keda ]]; then
      bad+="$(kubectl -n "$NAMESPACE" get scaledobjects.keda.sh -o json | jq -r '.items[] | select(
          [.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length == 0) | .metadata.name')"
    fi
    if [[ -z $bad && -n "$(kubectl -n "$NAMESPACE" get hpa -o name)" ]]; then
      kubectl -n "$NAMESPACE" get hpa >&2
      return 0
    fi
    ((SECONDS < deadline)) || { kubectl -n "$NAMESPACE" describe hpa >&2; return 1; }
    sleep 10
  done
}
step "the autoscaler reads its metrics ($AUTOSCALING)" autoscaler_reads_metrics

# From inside a pod: "open", or "blocked" when a policy dropped the connection (no answer) or rejected it (a
# refusal: kube-router rejects; the targets below do listen, as the "open" probes show), else the error's code.
tcp_probe() { # pod host port
  kubectl -n "$NAMESPACE" exec "$1" -- node -e '
    const s = require("node:net").connect(Number(process.argv[2]), process.argv[1]);
    s.setTimeout(3000);
    s.on("connect", () => { console.log("open"); process.exit(0); });
    s.on("timeout", () => { console.log("blocked"); process.exit(0); });
    s.on("error", (e) => { console.log(e.code === "ECONNREFUSED" ? "blocked" : e.code); process.exit(0); });' "$2" "$3"
}
network_policies_enforced() {
  local api stray="offndat-e2e-stray" full="$RELEASE"
  api="$(kubectl -n "$NAMESPACE" get pods -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
  # A pod of no component: the chart's policies admit it to the api port and nowhere else.
  kubectl -n "$NAMESPACE" delete pod "$stray" --ignore-not-found >/dev/null
  kubectl -n "$NAMESPACE" run "$stray" --image="$(image_of API_IMAGE)" --image-pull-policy=Never --restart=Never \
    --command -- sleep 300 >/dev/null
  kubectl -n "$NAMESPACE" wait --for=condition=Ready "pod/$stray" --timeout=120s >/dev/null
  local want got failed=0 line
  for line in "$api $full-redis 6379 open" "$api kubernetes.default 443 blocked" \
    "$stray $full-api 80 open" "$stray $full-redis 6379 blocked"; do
    read -r pod host port want <<<"$line"
    got="$(tcp_probe "$pod" "$host" "$port")"
    log "  $pod -> $host:$port: $got (want $want)"
    [[ $got == "$want" ]] || failed=1
  done
  kubectl -n "$NAMESPACE" delete pod "$stray" --wait=false >/dev/null
  return "$failed"
}
step "NetworkPolicies are enforced (api egress, Redis ingress)" network_policies_enforced

# What the whole platform asks of the node's two cores, and what it uses (metrics-server), before the uninstall.
footprint() {
  footprint="$(kubectl describe node | sed -n '/^Allocated resources:/,/^Events:/p' | sed '$d'
    echo
    kubectl top pods -A --sort-by=cpu 2>/dev/null | head -25 || true)"
}
step "the node's footprint recorded" footprint

upgrade() {
  local before
  before="$(kubectl -n "$NAMESPACE" get deploy -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.generation}')"
  install --set config.logLevel=debug
  local after
  after="$(kubectl -n "$NAMESPACE" get deploy -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.generation}')"
  ((after > before)) || { log "the api Deployment did not roll (generation $before -> $after)"; return 1; }
  all_ready
}
step "helm upgrade with a changed value (config.logLevel=debug) rolls the pods" upgrade

# The release's workloads go; its data objects stay (helm.sh/resource-policy: keep) until deleted on purpose.
uninstall() {
  "$helm" uninstall "$RELEASE" --namespace "$NAMESPACE" --wait --timeout 5m
  local left kept
  left="$(kubectl -n "$NAMESPACE" get deploy,hpa,scaledobjects.keda.sh -l "app.kubernetes.io/instance=$RELEASE" \
    -o name 2>/dev/null)"
  [[ -z $left ]] || { log "workloads left after uninstall: $left"; return 1; }
  kept="$(kubectl -n "$NAMESPACE" get clusters.postgresql.cnpg.io,rabbitmqclusters.rabbitmq.com \
    -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}={.metadata.annotations.helm\.sh/resource-policy}{"\n"}{end}')"
  log "kept: $(tr '\n' ' ' <<<"$kept")"
  [[ $(grep -c '=keep$' <<<"$kept") -eq 2 ]] || { log "the PostgreSQL and RabbitMQ clusters were not both kept"; return 1; }
  # This run's data is done with: delete what the release kept, so the next run starts from nothing.
  delete_kept_data
}
if [[ -z ${KEEP:-} ]]; then
  step "helm uninstall removes the workloads and keeps the data objects" uninstall
fi

trap - ERR
finish "passed"
log "kind e2e passed in $((SECONDS - started))s"
