#!/usr/bin/env bash
# Prints the path of skaffold's published JSON Schema for the config version skaffold.yaml uses, taken from the
# skaffold Go module at a pinned version (Go's module cache keeps it; a warm call is instant). Building skaffold
# itself is pointless here: it needs a Docker engine to do anything useful.
set -euo pipefail
: "${SKAFFOLD_VERSION:=v2.24.0}"
schema_version=${1:-v4beta14}
dir=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "github.com/GoogleContainerTools/skaffold/v2@${SKAFFOLD_VERSION}" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')
schema="$dir/docs-v2/content/en/schemas/${schema_version}.json"
[[ -f $schema ]] || { echo "skaffold ${SKAFFOLD_VERSION} has no schema ${schema_version}" >&2; exit 1; }
echo "$schema"
