#!/usr/bin/env bash
# `make test`: starts the test services and builds the Kubernetes tools (saying every 30 s what it is doing while
# that takes long), then lint, type-check and every jest test (unit, component, integration, e2e, chart). Every step runs even when an earlier one failed, so one run reports everything;
# the exit status is non-zero if any step failed. Jest's JSON report goes to .data/jest-results.json.
#
#   scripts/test.sh [--unit] [-- extra jest args]
#     --unit   unit tests beside the code only: no services, no lint/type-check
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
mkdir -p .data

unit_only=0
jest_args=()
while (($#)); do
  case $1 in
    --unit) unit_only=1 ;;
    --) shift && jest_args+=("$@") && break ;;
    *) jest_args+=("$1") ;;
  esac
  shift
done

failed=()
step() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name" >&2
  local started=$SECONDS
  if "$@"; then
    printf '==> %s ok (%ss)\n' "$name" $((SECONDS - started)) >&2
  else
    printf '==> %s FAILED (%ss)\n' "$name" $((SECONDS - started)) >&2
    failed+=("$name")
  fi
}

if ((unit_only)); then
  # Component (api/test, worker/test) and cross-process (test/) suites need the services; unit tests do not.
  # Caller's arguments first: the array flag would swallow test paths that follow it.
  step jest npx jest "${jest_args[@]}" --testPathIgnorePatterns /node_modules/ /dist/ '<rootDir>/(api/|worker/)?test/'
else
  if ! step services bash scripts/lib/progress.sh services "${OFFNDAT_SERVICES_DIR:-/var/lib/offndat-test}/log" -- \
    bash scripts/services.sh up; then
    echo "Test services did not start; see the messages above (logs under \${OFFNDAT_SERVICES_DIR:-/var/lib/offndat-test}/log)." >&2
    exit 1
  fi
  # Built here rather than inside the chart tests, where jest would hold the output until the build is over.
  step k8s-tools bash scripts/lib/progress.sh k8s-tools "${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}" -- \
    bash -c 'bash scripts/k8s/tools.sh ensure >/dev/null'
  step schemathesis bash scripts/lib/progress.sh schemathesis "${OFFNDAT_TOOLS_DIR:-${HOME:-/root}/.cache/offndat-tools}" -- \
    bash -c 'bash scripts/schemathesis.sh ensure >/dev/null'
  step lint npm run --silent lint
  step typecheck npx tsc -p tsconfig.json --noEmit
  rm -f .data/jest-results.json .data/jest-parallel.json .data/jest-serial.json
  # No --forceExit: every suite closes what it opens, and one that leaks a handle should be seen, not papered over.
  step jest npx jest --ci --json --outputFile=.data/jest-parallel.json "${jest_args[@]}"
  if ((${#jest_args[@]} == 0)); then
    # Suites that disturb shared services (restarting the broker) run alone, once the others are done.
    step jest-serial npx jest --ci --json --outputFile=.data/jest-serial.json --runInBand \
      --testPathIgnorePatterns '/node_modules/' '/dist/' -- '\.serial\.test\.ts$'
  fi
  node scripts/lib/merge-jest-reports.cjs .data/jest-results.json .data/jest-parallel.json .data/jest-serial.json
fi

if ((${#failed[@]})); then
  printf '\nFailed steps: %s\n' "${failed[*]}" >&2
  exit 1
fi
