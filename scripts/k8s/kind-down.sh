#!/usr/bin/env bash
# Deletes the kind cluster "offndat" and everything in it; does nothing if it does not exist.
set -euo pipefail
# shellcheck source=scripts/k8s/kind-lib.sh
source "$(dirname "$0")/kind-lib.sh"

require_docker
kind="$(kind_bin)"
if cluster_exists "$kind"; then
  "$kind" delete cluster --name "$CLUSTER"
else
  log "no cluster $CLUSTER; nothing to delete"
fi
