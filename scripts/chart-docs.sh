#!/usr/bin/env bash
# Writes charts/offndat/README.md with helm-docs, from Chart.yaml, the `# --` comments in values.yaml and
# charts/offndat/README.md.gotmpl. helm-docs is built once from its Go module at HELM_DOCS_VERSION (the Makefile
# pins it) into the tools cache.
#
#   scripts/chart-docs.sh           regenerate the README (make chart-docs)
#   scripts/chart-docs.sh --check   exit 1 when the README differs from what helm-docs generates (a chart test)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${HELM_DOCS_VERSION:=v1.14.2}"
TOOLS_DIR="${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}"
CHART="$ROOT/charts/offndat"

log() { printf '[chart-docs] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/k8s/once-lib.sh
source "$ROOT/scripts/k8s/once-lib.sh"

dir="$TOOLS_DIR/helm-docs-$HELM_DOCS_VERSION"
build_helm_docs() {
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  GOTOOLCHAIN=local GOFLAGS="-mod=mod" CGO_ENABLED=0 GOBIN="$dir/bin" \
    go install -trimpath -ldflags "-s -w" "github.com/norwoodj/helm-docs/cmd/helm-docs@$HELM_DOCS_VERSION"
  "$dir/bin/helm-docs" --help >/dev/null
}
mkdir -p "$TOOLS_DIR"
once "$dir" build_helm_docs

generate() { # extra helm-docs flags...
  (cd "$CHART" && "$dir/bin/helm-docs" --chart-search-root . --template-files README.md.gotmpl --log-level warning "$@")
}

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$CHART/README.md" <(generate --dry-run); then
    die "charts/offndat/README.md is out of date with values.yaml: run make chart-docs"
  fi
  log "charts/offndat/README.md matches values.yaml"
else
  generate
  log "wrote charts/offndat/README.md"
fi
