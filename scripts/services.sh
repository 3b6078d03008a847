#!/usr/bin/env bash
# Local PostgreSQL, Redis and RabbitMQ for tests (plus the Prometheus binaries), on fixed loopback ports.
#
#   scripts/services.sh up                installs what is missing, starts what is stopped, writes .data/services.env
#   scripts/services.sh down              stops the three servers
#   scripts/services.sh status            one line per service; exits 1 if any is down
#   scripts/services.sh env               prints the KEY=VALUE lines tests read (without starting anything)
#   scripts/services.sh restart-rabbitmq  full stop and start of the broker (for reconnect tests)
#   scripts/services.sh reset             down, then deletes all service data
#
# Idempotent and quick when everything already runs: `up` then only probes three ports.
#
# Where things live:
#   $OFFNDAT_SERVICES_DIR (default /var/lib/offndat-test)  data, pid files and logs (log/) of these servers,
#                                                          shared by every checkout on the machine
#   .data/services.env        what tests read (loaded by test/support/global-setup.ts)
#   .data/jest-results.json   the last `make test` report (scripts/test.sh), read by .ci/run
#   .data/postgres/           embedded PostgreSQL of `npm start` without DATABASE_URL (scripts/start-local.ts)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$ROOT/scripts/lib"
# shellcheck source=scripts/lib/services-config.sh
source "$LIB/services-config.sh"
# shellcheck source=scripts/lib/packages.sh
source "$LIB/packages.sh"
# shellcheck source=scripts/lib/postgres.sh
source "$LIB/postgres.sh"
# shellcheck source=scripts/lib/redis.sh
source "$LIB/redis.sh"
# shellcheck source=scripts/lib/rabbitmq.sh
source "$LIB/rabbitmq.sh"

ENV_FILE="${OFFNDAT_SERVICES_ENV_FILE:-$ROOT/.data/services.env}"

print_env() {
  cat <<ENV
TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:$OFFNDAT_PG_PORT/postgres
TEST_REDIS_URL=redis://127.0.0.1:$OFFNDAT_REDIS_PORT
TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:$OFFNDAT_AMQP_PORT
TEST_AMQP_MANAGEMENT_URL=http://guest:guest@127.0.0.1:$OFFNDAT_AMQP_MANAGEMENT_PORT
TEST_AMQP_PROMETHEUS_URL=http://127.0.0.1:$OFFNDAT_AMQP_PROMETHEUS_PORT
PROMETHEUS_BIN=$(command -v prometheus || echo /usr/bin/prometheus)
PROMTOOL_BIN=$(command -v promtool || echo /usr/bin/promtool)
RABBITMQ_CTL=$LIB/rabbitmq-ctl.sh
TEST_SERVICES_SCRIPT=$ROOT/scripts/services.sh
ENV
}

prepare_dirs() {
  mkdir -p "$OFFNDAT_SERVICES_DIR" "$SERVICES_LOG_DIR" "$SERVICES_RUN_DIR" "$ROOT/.data"
  # The postgres user must be able to reach its cluster below this directory.
  chmod 755 "$OFFNDAT_SERVICES_DIR"
}

# Two checkouts (or a developer and CI) may run `up` at once; they must not both start a server.
# Every daemon is launched with fd 9 closed, or it would hold the lock for its whole life.
with_lock() {
  exec 9>"$OFFNDAT_SERVICES_DIR/.lock"
  flock -w 300 9 || die "another services.sh holds $OFFNDAT_SERVICES_DIR/.lock"
  "$@"
}

up() {
  ensure_packages
  local rabbitmq_launched=0
  rabbitmq_up_begin || rabbitmq_launched=1
  pg_up
  redis_up
  ((rabbitmq_launched)) && rabbitmq_wait && log "rabbitmq: ready"
  print_env >"$ENV_FILE.tmp" && mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "wrote $ENV_FILE"
}

down() {
  rabbitmq_down
  redis_down
  pg_down
  # epmd was started by the broker on our own port; nothing else uses that port.
  if command -v epmd >/dev/null || [[ -x /usr/lib/erlang/bin/epmd ]]; then
    ERL_EPMD_PORT="$OFFNDAT_EPMD_PORT" "$(command -v epmd || echo /usr/lib/erlang/bin/epmd)" -kill >/dev/null 2>&1 || true
  fi
}

status() {
  local failed=0
  if [[ -n "$(pg_bin_dir)" ]] && pg_ready; then echo "postgres  up    127.0.0.1:$OFFNDAT_PG_PORT"; else echo "postgres  down" && failed=1; fi
  if command -v redis-cli >/dev/null && redis_ready; then echo "redis     up    127.0.0.1:$OFFNDAT_REDIS_PORT"; else echo "redis     down" && failed=1; fi
  if rabbitmq_ready; then echo "rabbitmq  up    127.0.0.1:$OFFNDAT_AMQP_PORT (management $OFFNDAT_AMQP_MANAGEMENT_PORT, metrics $OFFNDAT_AMQP_PROMETHEUS_PORT)"; else echo "rabbitmq  down" && failed=1; fi
  if command -v prometheus >/dev/null && command -v promtool >/dev/null; then echo "prometheus installed ($(command -v prometheus))"; else echo "prometheus missing" && failed=1; fi
  return "$failed"
}

reset() {
  down
  log "deleting $OFFNDAT_SERVICES_DIR"
  rm -rf "${OFFNDAT_SERVICES_DIR:?}"/{pg,redis,rabbitmq,run,log}
}

case "${1:-}" in
  up) prepare_dirs && with_lock up ;;
  down) prepare_dirs && with_lock down ;;
  status) status ;;
  env) print_env ;;
  restart-rabbitmq) prepare_dirs && with_lock rabbitmq_restart ;;
  reset) prepare_dirs && with_lock reset ;;
  *)
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
