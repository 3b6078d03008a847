#!/usr/bin/env bash
# Installs what the offndat chart expects in a cluster, at pinned versions, into the current kubectl context:
# cert-manager, CloudNativePG, the RabbitMQ cluster operator, kube-prometheus-stack, metrics-server and one
# autoscaling backend (KEDA, or prometheus-adapter with the chart's rules). Idempotent: re-running upgrades
# in place to the pinned versions.
#
#   k8s/install-operators.sh                 # AUTOSCALING=keda (default) | hpa | none
#   AUTOSCALING=hpa k8s/install-operators.sh
#
# Needs helm (v3.14+ or v4) and kubectl. HELM may name the helm binary.
set -euo pipefail

# --- Pinned versions -------------------------------------------------------------------------------------------
CERT_MANAGER_VERSION=v1.21.1          # jetstack/cert-manager; the RabbitMQ operator's webhooks need it (>= v2.22)
CNPG_CHART_VERSION=0.29.0             # cnpg/cloudnative-pg, operator 1.30.0
RABBITMQ_OPERATOR_VERSION=v2.22.1     # release manifest (no Helm chart); RabbitMQ 4.2; = the Makefile pin (the Go module proxy serves only v2.22.1)
KUBE_PROMETHEUS_STACK_VERSION=88.5.3  # prometheus-operator 0.93, Grafana with the dashboard sidecar
METRICS_SERVER_CHART_VERSION=3.13.0   # CPU metrics for HPAs and KEDA's cpu trigger
KEDA_CHART_VERSION=2.20.2             # kedacore/keda
PROMETHEUS_ADAPTER_CHART_VERSION=5.3.0  # prometheus-community/prometheus-adapter, app v0.12.0
# ----------------------------------------------------------------------------------------------------------------

AUTOSCALING="${AUTOSCALING:-keda}"
HELM="${HELM:-helm}"
HERE="$(cd "$(dirname "$0")" && pwd)"

log() { printf '[install-operators] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$AUTOSCALING" in keda | hpa | none) ;; *) die "AUTOSCALING must be keda, hpa or none (got '$AUTOSCALING')" ;; esac
command -v "$HELM" >/dev/null || die "helm not found (set HELM=/path/to/helm)"
command -v kubectl >/dev/null || die "kubectl not found"
kubectl version --request-timeout=10s >/dev/null 2>&1 || die "no reachable cluster in the current kubectl context"

log "chart repositories"
"$HELM" repo add jetstack https://charts.jetstack.io --force-update >/dev/null
"$HELM" repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null
"$HELM" repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update >/dev/null
"$HELM" repo add metrics-server https://kubernetes-sigs.github.io/metrics-server/ --force-update >/dev/null
"$HELM" repo add kedacore https://kedacore.github.io/charts --force-update >/dev/null
"$HELM" repo update >/dev/null

install() { # release chart version namespace [helm args...]
  local release="$1" chart="$2" version="$3" namespace="$4"; shift 4
  log "$release: $chart $version in namespace $namespace"
  "$HELM" upgrade --install "$release" "$chart" --version "$version" --namespace "$namespace" --create-namespace \
    --wait --timeout 10m "$@"
}

install cert-manager jetstack/cert-manager "$CERT_MANAGER_VERSION" cert-manager --set crds.enabled=true

install cnpg cnpg/cloudnative-pg "$CNPG_CHART_VERSION" cnpg-system

# The operator's webhooks get their serving certificate from cert-manager, which must be ready first (above).
log "rabbitmq-cluster-operator: $RABBITMQ_OPERATOR_VERSION"
kubectl apply --server-side --force-conflicts \
  -f "https://github.com/rabbitmq/cluster-operator/releases/download/${RABBITMQ_OPERATOR_VERSION}/cluster-operator.yml" >/dev/null
kubectl -n rabbitmq-system rollout status deployment/rabbitmq-cluster-operator --timeout=300s

install kube-prometheus-stack prometheus-community/kube-prometheus-stack "$KUBE_PROMETHEUS_STACK_VERSION" monitoring \
  --values "$HERE/kube-prometheus-stack/values.yaml"

# kind's kubelets serve self-signed certificates.
install metrics-server metrics-server/metrics-server "$METRICS_SERVER_CHART_VERSION" kube-system \
  --set 'args={--kubelet-insecure-tls}'

# external.metrics.k8s.io has room for one server: KEDA's or prometheus-adapter's, never both.
case "$AUTOSCALING" in
  keda)
    if "$HELM" status prometheus-adapter -n monitoring >/dev/null 2>&1; then
      die "prometheus-adapter is installed; uninstall it before switching to KEDA (both serve external metrics)"
    fi
    install keda kedacore/keda "$KEDA_CHART_VERSION" keda
    ;;
  hpa)
    if "$HELM" status keda -n keda >/dev/null 2>&1; then
      die "KEDA is installed; uninstall it before switching to prometheus-adapter (both serve external metrics)"
    fi
    install prometheus-adapter prometheus-community/prometheus-adapter "$PROMETHEUS_ADAPTER_CHART_VERSION" monitoring \
      --values "$HERE/prometheus-adapter/values.yaml" --values "$HERE/prometheus-adapter/rules.yaml"
    ;;
  none) log "no autoscaling backend (AUTOSCALING=none)" ;;
esac

log "done: install the chart with autoscaling.mode=$AUTOSCALING"
