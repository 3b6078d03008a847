# shellcheck shell=bash
# Build steps cached by a stamp (sourced by scripts/k8s/tools.sh and scripts/k8s/images.sh; callers define log and die).

# Runs "$2..." under an exclusive lock for directory $1 unless its .ok stamp exists; the stamp is written only after
# the step succeeded, so an interrupted build is redone and parallel callers (jest workers) wait instead of racing.
once() {
  local dir="$1"; shift
  [[ -f "$dir/.ok" ]] && return 0
  mkdir -p "$dir"
  exec {lockfd}>"$dir.lock"
  flock "$lockfd"
  if [[ ! -f "$dir/.ok" ]]; then
    local started=$SECONDS
    log "building $(basename "$dir") (log: $dir/build.log)"
    # A subshell outside any condition, so errexit applies inside the step (in `if ! step` it would not).
    local status=0
    set +e
    (set -e; "$@") >"$dir/build.log" 2>&1
    status=$?
    set -e
    if ((status != 0)); then
      tail -n 30 "$dir/build.log" >&2
      flock -u "$lockfd"
      die "$(basename "$dir") failed; full log: $dir/build.log"
    fi
    touch "$dir/.ok"
    log "$(basename "$dir") ready ($((SECONDS - started))s)"
  fi
  flock -u "$lockfd"
}

