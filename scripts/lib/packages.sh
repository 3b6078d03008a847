# shellcheck shell=bash
# Installs the Debian packages behind the test services, touching apt only when a binary is missing.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/postgres" ]] && printf '%s\n' "$dir"
}

missing_packages() {
  local missing=()
  [[ -n "$(pg_bin_dir)" ]] || missing+=(postgresql)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
  command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
  command -v curl >/dev/null || missing+=(curl)
  # test/tooling runs the cluster scripts' parsers and k8s/node/offndat-runc, which use these.
  command -v jq >/dev/null || missing+=(jq)
  command -v capsh >/dev/null || missing+=(libcap2-bin)
  printf '%s\n' "${missing[@]}"
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages | sed '/^$/d')
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing packages (${missing[*]}); install them as root: apt-get install ${missing[*]}"
  log "installing ${missing[*]} (apt)"
  # Package scripts must not start the system-wide daemons: there is no init system, and ours run on other ports.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=1
  fi
  local status=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >"$SERVICES_LOG_DIR/apt.log" 2>&1 || status=$?
  ((created_policy)) && rm -f "$policy"
  if ((status != 0)); then
    tail -n 30 "$SERVICES_LOG_DIR/apt.log" >&2
    die "apt-get install ${missing[*]} failed (full log: $SERVICES_LOG_DIR/apt.log)"
  fi
  mapfile -t missing < <(missing_packages | sed '/^$/d')
  ((${#missing[@]} == 0)) || die "still missing after install: ${missing[*]}"
}
