# shellcheck shell=bash
# A Docker engine that answers, for the image builds and the kind cluster (sourced by scripts/k8s/*.sh).
#
# ensure_docker    installs Debian's docker.io when no engine is installed, starts dockerd when none answers (and
#                  says so), and registers k8s/node/offndat-runc as the engine's default runtime where the probe
#                  shows this machine needs it; prints every change it makes.
# docker_build     `docker build` with BuildKit: buildx when the CLI has it, else the engine's own BuildKit through
#                  Debian's docker CLI (a newer CLI without buildx falls back to the legacy builder, which lacks
#                  COPY --chmod and multi-platform metadata).
#
# Callers define log() and die().

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/offndat-dockerd.log}"
OFFNDAT_RUNC=/usr/local/sbin/offndat-runc
DOCKER_LIB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

docker_answers() { docker info >/dev/null 2>&1; }

# Capabilities the kernel lets no process have: if any is missing, runc refuses privileged containers.
bounding_set_is_full() {
  local bnd last
  bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
  last=$(cat /proc/sys/kernel/cap_last_cap)
  (((16#$bnd) == (1 << (last + 1)) - 1))
}

apt_install() {
  [[ $(id -u) -eq 0 ]] || die "need root to install $* (apt-get install $*)"
  log "installing $* (apt)"
  # Package scripts must not start daemons on a machine without an init system; dockerd is started below.
  local policy=/usr/sbin/policy-rc.d created=0
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created=1; fi
  local status=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >/tmp/offndat-apt.log 2>&1 ||
    status=$?
  ((created)) && rm -f "$policy"
  ((status == 0)) || { tail -n 20 /tmp/offndat-apt.log >&2; die "apt-get install $* failed"; }
}

# Writes the runtime into /etc/docker/daemon.json (kept otherwise as it is); returns 0 when the file changed.
register_offndat_runc() {
  local want conf=/etc/docker/daemon.json current='{}'
  install -D -m 0755 "$DOCKER_LIB_ROOT/k8s/node/offndat-runc" "$OFFNDAT_RUNC"
  [[ -s $conf ]] && current=$(cat "$conf")
  want=$(jq --arg path "$OFFNDAT_RUNC" \
    '.runtimes["offndat-runc"] = {path: $path} | ."default-runtime" = "offndat-runc"' <<<"$current")
  [[ $(jq -S . <<<"$current") == $(jq -S . <<<"$want") ]] && return 1
  mkdir -p /etc/docker && printf '%s\n' "$want" >"$conf"
  log "changed $conf: default runtime offndat-runc ($OFFNDAT_RUNC), because this kernel's capability bounding set" \
    "lacks capabilities that privileged containers (kind nodes) ask for"
  return 0
}

start_dockerd() {
  log "no Docker engine answers; starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the engine must outlive this script and not hold its terminal or locks.
  setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until docker_answers; do
    ((SECONDS < deadline)) || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 60 s"; }
    sleep 1
  done
  log "dockerd is up"
}

ensure_docker() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v jq >/dev/null 2>&1 || need+=(jq)
  command -v capsh >/dev/null 2>&1 || need+=(libcap2-bin)
  ((${#need[@]} == 0)) || apt_install "${need[@]}"

  local changed=1
  if ! bounding_set_is_full; then
    register_offndat_runc && changed=0
  fi
  if ! docker_answers; then
    start_dockerd
  elif ((changed == 0)); then
    # runtimes and default-runtime are among the settings dockerd reloads on SIGHUP.
    log "reloading dockerd's configuration (SIGHUP)"
    pkill -HUP -x dockerd || die "dockerd answers but is not a local process; add offndat-runc to its daemon.json by hand"
    sleep 2
  fi
}

# Output goes to a log that is shown (its end) only when the build fails.
docker_build() {
  local cli=(docker) out status=0
  if ! docker buildx version >/dev/null 2>&1; then
    [[ -x /usr/bin/docker ]] && /usr/bin/docker version --format '{{.Client.Version}}' >/dev/null 2>&1 ||
      die "no docker CLI with BuildKit (install docker-buildx, or Debian's docker.io for its CLI)"
    cli=(/usr/bin/docker)
  fi
  out="$(mktemp /tmp/offndat-docker-build.XXXXXX.log)"
  DOCKER_BUILDKIT=1 "${cli[@]}" build --progress=plain "$@" >"$out" 2>&1 || status=$?
  if ((status != 0)); then
    tail -n 40 "$out" >&2
    log "docker build failed (full output: $out)"
    return "$status"
  fi
  rm -f "$out"
}
