#!/usr/bin/env bash
# The air-gapped install of what the offndat chart expects in a cluster: every operator from its own Go module's
# manifests (CRDs, RBAC, Deployments), pointed at images built here by scripts/k8s/images.sh, into the current
# kubectl context. For clusters that cannot reach public registries; k8s/install-operators.sh installs the
# upstream releases where they can.
#
#   k8s/airgapped/install-operators.sh            # AUTOSCALING=keda (default) | hpa | none
#
# Installs CloudNativePG (cnpg-system), the RabbitMQ cluster operator (rabbitmq-system), prometheus-operator with
# one Prometheus that selects every monitor and rule of every namespace (monitoring, Service "prometheus"),
# metrics-server, and KEDA or prometheus-adapter. Idempotent (server-side apply). The images must already be in the
# cluster's nodes (kind: scripts/k8s/kind-up.sh loads them; elsewhere push them to your registry and set
# LOCAL_REGISTRY). Every operator asks for little CPU, so the whole platform fits a 2-core node.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
AUTOSCALING="${AUTOSCALING:-keda}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
KUBECTL="${KUBECTL:-kubectl}"

log() { printf '[airgapped] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$AUTOSCALING" in keda | hpa | none) ;; *) die "AUTOSCALING must be keda, hpa or none (got '$AUTOSCALING')" ;; esac
"$KUBECTL" version --request-timeout=10s >/dev/null 2>&1 || die "no reachable cluster in the current kubectl context"

declare -A img
while IFS='=' read -r k v; do img[$k]="$v"; done < <("$ROOT/scripts/k8s/images.sh" env)

module_dir() { # module@version
  (cd "$TOOLS_DIR" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

work="$(mktemp -d /tmp/offndat-airgapped.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Renders kustomize directories of a module with its images replaced, pulls only when missing, and small requests.
# $1 name, $2 module@version, $3 YAML lines for the kustomization (resources, images, namespace), $4 more items
# of its patches list.
render() {
  local name="$1" src
  src="$(module_dir "$2")"
  [[ -d $src ]] || die "could not download $2"
  mkdir -p "$work/$name/overlay"
  cp -r "$src/." "$work/$name/src" && chmod -R u+w "$work/$name/src"
  cat >"$work/$name/overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
$3
patches:
  - target: {kind: Deployment}
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/imagePullPolicy
        value: IfNotPresent
      - op: add
        path: /spec/template/spec/containers/0/resources
        value: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 512Mi}}
${4:-}
YAML
  # Files of the module itself may be listed as resources (not only its kustomize directories): it is all local.
  "$KUBECTL" kustomize --load-restrictor=LoadRestrictionsNone "$work/$name/overlay" 2> >(grep -v "'vars' is deprecated" >&2)
}

apply() { "$KUBECTL" apply --server-side --force-conflicts -f - >/dev/null; }

rollout() { # namespace deployment...
  local ns="$1" d; shift
  for d in "$@"; do "$KUBECTL" -n "$ns" rollout status "deployment/$d" --timeout=300s >/dev/null; done
}

log "CloudNativePG ${img[CNPG_VERSION]}"
render cnpg "github.com/cloudnative-pg/cloudnative-pg@${img[CNPG_VERSION]}" "resources: [../src/config/default]
images: [{name: controller, newName: ${img[CNPG_IMAGE]%:*}, newTag: ${img[CNPG_IMAGE]##*:}}]" | apply
# Clusters that name no image get PostgreSQL as built here.
"$KUBECTL" -n cnpg-system create configmap cnpg-controller-manager-config \
  --from-literal=POSTGRES_IMAGE_NAME="${img[POSTGRESQL_IMAGE]}" --dry-run=client -o yaml | apply
rollout cnpg-system cnpg-controller-manager

log "RabbitMQ cluster operator ${img[RABBITMQ_OPERATOR_VERSION]}"
# Without cert-manager there is nothing to issue the webhook's certificate; the operator then applies its defaults
# in the controller, and the CRD's schema still validates every RabbitmqCluster.
render rabbitmq "github.com/rabbitmq/cluster-operator/v2@${img[RABBITMQ_OPERATOR_VERSION]}" "resources:
  - ../src/config/namespace/base
  - ../src/config/crd
  - ../src/config/rbac
  - ../src/config/manager
namespace: rabbitmq-system
images: [{name: ghcr.io/rabbitmq/cluster-operator, newName: ${img[RABBITMQ_OPERATOR_IMAGE]%:*}, newTag: ${img[RABBITMQ_OPERATOR_IMAGE]##*:}}]" "\
  - target: {kind: Deployment, name: rabbitmq-cluster-operator}
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/env/-
        value: {name: ENABLE_WEBHOOKS, value: \"false\"}
      - op: add
        path: /spec/template/spec/containers/0/env/-
        value: {name: DEFAULT_RABBITMQ_IMAGE, value: \"${img[RABBITMQ_IMAGE]}\"}" | apply
rollout rabbitmq-system rabbitmq-cluster-operator

log "prometheus-operator ${img[PROMETHEUS_OPERATOR_VERSION]} and a Prometheus"
render prometheus-operator "github.com/prometheus-operator/prometheus-operator@${img[PROMETHEUS_OPERATOR_VERSION]}" \
  "resources: [../src]
namespace: monitoring
images: [{name: quay.io/prometheus-operator/prometheus-operator, newName: ${img[PROMETHEUS_OPERATOR_IMAGE]%:*}, newTag: ${img[PROMETHEUS_OPERATOR_IMAGE]##*:}}]" |
  sed "s#--prometheus-config-reloader=.*#--prometheus-config-reloader=${img[PROMETHEUS_CONFIG_RELOADER_IMAGE]}#" |
  { "$KUBECTL" create namespace monitoring --dry-run=client -o yaml; echo ---; cat; } | apply
rollout monitoring prometheus-operator
sed -e "s#@PROMETHEUS_IMAGE@#${img[PROMETHEUS_IMAGE]}#g" -e "s#@PROMETHEUS_VERSION@#$(
  docker run --rm --entrypoint prometheus "${img[PROMETHEUS_IMAGE]}" --version 2>&1 | sed -n 's/^prometheus, version \([0-9.]*\).*/v\1/p'
)#g" "$HERE/prometheus.yaml" | apply

log "metrics-server ${img[METRICS_SERVER_VERSION]}"
# kind's kubelets serve self-signed certificates.
render metrics-server "sigs.k8s.io/metrics-server@${img[METRICS_SERVER_VERSION]}" "resources: [../src/manifests/base]
namespace: kube-system
images: [{name: gcr.io/k8s-staging-metrics-server/metrics-server, newName: ${img[METRICS_SERVER_IMAGE]%:*}, newTag: ${img[METRICS_SERVER_IMAGE]##*:}}]" |
  sed 's#^\(\s*\)- --kubelet-use-node-status-port#&\n\1- --kubelet-insecure-tls#' | apply
rollout kube-system metrics-server

case "$AUTOSCALING" in
  keda)
    if "$KUBECTL" -n monitoring get deployment prometheus-adapter >/dev/null 2>&1; then
      die "prometheus-adapter is installed; delete it before switching to KEDA (both serve external metrics)"
    fi
    log "KEDA ${img[KEDA_VERSION]}"
    render keda "github.com/kedacore/keda/v2@${img[KEDA_VERSION]}" "resources: [../src/config/default]
images:
  - {name: ghcr.io/kedacore/keda, newName: ${img[KEDA_IMAGE]%:*}, newTag: ${img[KEDA_IMAGE]##*:}}
  - {name: ghcr.io/kedacore/keda-metrics-apiserver, newName: ${img[KEDA_METRICS_APISERVER_IMAGE]%:*}, newTag: ${img[KEDA_METRICS_APISERVER_IMAGE]##*:}}
  - {name: ghcr.io/kedacore/keda-admission-webhooks, newName: ${img[KEDA_WEBHOOKS_IMAGE]%:*}, newTag: ${img[KEDA_WEBHOOKS_IMAGE]##*:}}" |
      apply
    rollout keda keda-operator keda-metrics-apiserver keda-admission
    ;;
  hpa)
    if "$KUBECTL" -n keda get deployment keda-operator >/dev/null 2>&1; then
      die "KEDA is installed; delete it before switching to prometheus-adapter (both serve external metrics)"
    fi
    log "prometheus-adapter ${img[PROMETHEUS_ADAPTER_VERSION]} with the chart's rules"
    # The module's deploy/manifests are a full kit with no kustomization of its own. Only what serves external
    # metrics is taken: its APIService is v1beta1.metrics.k8s.io, which would take the resource metrics (CPU)
    # away from metrics-server, so it is left out (with the kit's resource-metrics RBAC) and the
    # external.metrics.k8s.io APIService the HPAs read is added below. No `namespace:` here: the auth-reader
    # RoleBinding belongs in kube-system. One replica is enough for a 2-core node (the kit runs 2).
    manifests=../src/deploy/manifests
    render prometheus-adapter "sigs.k8s.io/prometheus-adapter@${img[PROMETHEUS_ADAPTER_VERSION]}" \
      "resources:
  - $manifests/service-account.yaml
  - $manifests/cluster-role.yaml
  - $manifests/cluster-role-binding.yaml
  - $manifests/cluster-role-binding-delegator.yaml
  - $manifests/role-binding-auth-reader.yaml
  - $manifests/deployment.yaml
  - $manifests/service.yaml
  - $manifests/network-policy.yaml
images: [{name: registry.k8s.io/prometheus-adapter/prometheus-adapter, newName: ${img[PROMETHEUS_ADAPTER_IMAGE]%:*}, newTag: ${img[PROMETHEUS_ADAPTER_IMAGE]##*:}}]" "\
  - target: {kind: Deployment, name: prometheus-adapter}
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 1" |
      sed 's#--prometheus-url=.*#--prometheus-url=http://prometheus.monitoring.svc:9090/#' | apply
    apply <<'YAML'
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.external.metrics.k8s.io
  labels: {app.kubernetes.io/name: prometheus-adapter}
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  service: {name: prometheus-adapter, namespace: monitoring}
  # The adapter serves a self-signed certificate (--cert-dir on an emptyDir), as metrics-server does here.
  insecureSkipTLSVerify: true
  groupPriorityMinimum: 100
  versionPriority: 100
YAML
    # rules.yaml holds values of the upstream Helm chart (rules.custom / rules.external, see values.yaml beside
    # it); the adapter itself reads its own format, rules / externalRules.
    (cd "$ROOT" && node -e '
      const { parse, stringify } = require("yaml");
      const { rules } = parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
      process.stdout.write(stringify({ rules: rules.custom ?? [], externalRules: rules.external ?? [] }, { lineWidth: 0 }));
    ' "$ROOT/k8s/prometheus-adapter/rules.yaml") >"$work/adapter-config.yaml"
    "$KUBECTL" -n monitoring create configmap adapter-config --from-file=config.yaml="$work/adapter-config.yaml" \
      --dry-run=client -o yaml | apply
    "$KUBECTL" -n monitoring rollout restart deployment/prometheus-adapter >/dev/null
    rollout monitoring prometheus-adapter
    ;;
  none) log "no autoscaling backend (AUTOSCALING=none)" ;;
esac

log "done: install the chart with autoscaling.mode=$AUTOSCALING"
