#!/usr/bin/env bash
# Writes k8s/prometheus-adapter/rules.yaml from the chart, whose templates/_promql.tpl holds the PromQL of every
# scaling signal (KEDA's trigger, the alerts and these adapter rules all include it).
#
#   k8s/prometheus-adapter/render.sh           regenerate rules.yaml
#   k8s/prometheus-adapter/render.sh --check   exit 1 if rules.yaml differs from what the chart renders
#
# Needs helm (HELM_BIN, else on PATH, else built by scripts/k8s/tools.sh) and node with the repo's dev dependencies.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/k8s/prometheus-adapter/rules.yaml"

helm="${HELM_BIN:-$(command -v helm || true)}"
if [[ -z "$helm" ]]; then
  helm="$("$ROOT/scripts/k8s/tools.sh" ensure helm | sed -n 's/^HELM_BIN=//p')"
fi

# The pooler keeps the default pools within the connection budget at the HPAs' maximums.
rendered="$("$helm" template offndat "$ROOT/charts/offndat" --set autoscaling.mode=hpa \
  --set postgresql.operator.pooler.enabled=true \
  --show-only templates/autoscaling/prometheus-adapter-rules.yaml |
  (cd "$ROOT" && node -e '
    const { parse } = require("yaml");
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      process.stdout.write(parse(text).data["rules.yaml"]);
    });'))"

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$OUT" <(printf '%s\n' "$rendered"); then
    echo "k8s/prometheus-adapter/rules.yaml is out of date: run k8s/prometheus-adapter/render.sh" >&2
    exit 1
  fi
  echo "k8s/prometheus-adapter/rules.yaml matches the chart"
else
  printf '%s\n' "$rendered" >"$OUT"
  echo "wrote $OUT"
fi
