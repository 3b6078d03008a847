#!/usr/bin/env bash
# Removes the autoscaling backend that install-operators.sh installed, so that the other one can take its place:
# KEDA and prometheus-adapter both serve external.metrics.k8s.io, and one APIService can name only one of them.
#
#   k8s/airgapped/uninstall-autoscaler.sh keda|hpa
#
# Remove your ScaledObjects (autoscaling.mode other than keda) before removing KEDA: without its operator their
# finalizers are never cleared. KEDA's CRDs stay, so a later switch back finds them; nothing else of it remains.
set -euo pipefail
KUBECTL="${KUBECTL:-kubectl}"
log() { printf '[airgapped] %s\n' "$*" >&2; }

# The external metrics API first: with its server gone, every client of it (the HPA controller, discovery) errs.
"$KUBECTL" delete apiservice v1beta1.external.metrics.k8s.io --ignore-not-found >/dev/null
case "${1:-}" in
  keda)
    if [[ -n "$("$KUBECTL" get scaledobjects.keda.sh -A -o name 2>/dev/null)" ]]; then
      log "error: ScaledObjects remain; remove them (or switch their releases away from KEDA) first"
      exit 1
    fi
    log "removing KEDA"
    # Every object of KEDA's manifests carries app.kubernetes.io/part-of=keda-operator.
    "$KUBECTL" delete apiservice,validatingwebhookconfiguration,clusterrole,clusterrolebinding \
      -l app.kubernetes.io/part-of=keda-operator --ignore-not-found >/dev/null
    "$KUBECTL" delete namespace keda --ignore-not-found --wait --timeout=180s >/dev/null
    ;;
  hpa)
    log "removing prometheus-adapter"
    "$KUBECTL" -n monitoring delete deployment,service,serviceaccount,networkpolicy,configmap \
      -l app.kubernetes.io/name=prometheus-adapter --ignore-not-found --wait --timeout=180s >/dev/null
    "$KUBECTL" -n monitoring delete configmap adapter-config --ignore-not-found >/dev/null
    "$KUBECTL" delete clusterrole,clusterrolebinding -l app.kubernetes.io/name=prometheus-adapter --ignore-not-found >/dev/null
    "$KUBECTL" -n kube-system delete rolebinding -l app.kubernetes.io/name=prometheus-adapter --ignore-not-found >/dev/null
    ;;
  *)
    log "usage: $0 keda|hpa"
    exit 2
    ;;
esac
