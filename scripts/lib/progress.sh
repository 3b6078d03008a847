#!/usr/bin/env bash
# Runs a long, quiet command and says every 30 s that it is still going, with the last line of the log it is
# writing, so a cold `make test` (Go builds of the Kubernetes tools take minutes) never looks hung.
#
#   scripts/lib/progress.sh LABEL LOG_DIR -- COMMAND...
#     LOG_DIR   searched for the most recently written *.log (none yet is fine)
# Exits with the command's status; its stdout and stderr pass through. A quick command prints nothing extra.
set -uo pipefail

label=$1 log_dir=$2
shift 2
[[ ${1:-} == -- ]] && shift
interval=${OFFNDAT_PROGRESS_INTERVAL:-30}

"$@" &
pid=$!
started=$SECONDS
next=$((SECONDS + interval))
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  ((SECONDS < next)) && continue
  next=$((SECONDS + interval))
  elapsed=$((SECONDS - started))
  # Another checkout may be building the same cache; its log shows the progress this command is waiting for.
  latest=$(find "$log_dir" -name '*.log' -mmin -2 -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
  detail=""
  [[ -n $latest ]] && detail=" - $(basename "$(dirname "$latest")"): $(tail -n 1 "$latest" | cut -c1-100)"
  printf '[%s] still working (%dm%02ds)%s\n' "$label" $((elapsed / 60)) $((elapsed % 60)) "$detail" >&2
done
wait "$pid"
