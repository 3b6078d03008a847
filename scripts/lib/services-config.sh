# shellcheck shell=bash disable=SC2034 # the paths below are read by the files that source this one
# Shared settings of the local test services, sourced by scripts/services.sh and the rabbitmqctl wrapper.
# Ports sit far from the defaults so a developer's own PostgreSQL/Redis/RabbitMQ keeps working beside them,
# and below the kernel's ephemeral range (32768-60999): a port in that range can be held by some outgoing
# connection at the moment a server (re)starts, which then fails with EADDRINUSE.
# Data lives outside the checkout so every clone on the machine (CI clones included) reuses the same running
# services instead of starting a second set.

: "${OFFNDAT_SERVICES_DIR:=/var/lib/offndat-test}"
: "${OFFNDAT_PG_PORT:=25432}"
: "${OFFNDAT_REDIS_PORT:=26479}"
: "${OFFNDAT_AMQP_PORT:=25682}"
: "${OFFNDAT_AMQP_MANAGEMENT_PORT:=25683}"
: "${OFFNDAT_AMQP_DIST_PORT:=25684}"
# rabbitmq_prometheus: the broker's own metrics (/metrics, /metrics/detailed), as the chart's ServiceMonitor scrapes them.
: "${OFFNDAT_AMQP_PROMETHEUS_PORT:=25692}"
: "${OFFNDAT_EPMD_PORT:=24369}"
: "${OFFNDAT_SERVICE_TIMEOUT:=90}"

SERVICES_LOG_DIR="$OFFNDAT_SERVICES_DIR/log"
SERVICES_RUN_DIR="$OFFNDAT_SERVICES_DIR/run"
PG_DATA_DIR="$OFFNDAT_SERVICES_DIR/pg/data"
# Beside the cluster rather than in log/: the server runs as postgres and writes it itself.
PG_LOG="$OFFNDAT_SERVICES_DIR/pg/postgres.log"
REDIS_DIR="$OFFNDAT_SERVICES_DIR/redis"
RABBITMQ_DIR="$OFFNDAT_SERVICES_DIR/rabbitmq"

# Everything the RabbitMQ server and its CLI tools need to find this node and only this node.
rabbitmq_export_env() {
  export HOME="$RABBITMQ_DIR"
  export ERL_EPMD_PORT="$OFFNDAT_EPMD_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_NODENAME="offndat-test@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$OFFNDAT_AMQP_PORT"
  export RABBITMQ_DIST_PORT="$OFFNDAT_AMQP_DIST_PORT"
  export RABBITMQ_BASE="$RABBITMQ_DIR"
  export RABBITMQ_MNESIA_BASE="$RABBITMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$SERVICES_LOG_DIR/rabbitmq"
  export RABBITMQ_PID_FILE="$SERVICES_RUN_DIR/rabbitmq.pid"
  export RABBITMQ_CONFIG_FILE="$RABBITMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_DIR/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$RABBITMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_DIR/enabled_plugins"
  # Idle schedulers would otherwise busy-wait and steal CPU from everything else on a 2-core machine;
  # the distribution port (CLI tools talk to the node through it) stays on loopback like everything else.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}"
}

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

# True while PID runs the program COMM. A killed process can linger as a zombie until something reaps it,
# and a pid file may name a pid since reused by another program: neither counts.
proc_alive() {
  local pid=$1 comm=$2
  [[ $pid =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || return 1
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
