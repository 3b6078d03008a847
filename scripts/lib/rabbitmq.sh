# shellcheck shell=bash
# A RabbitMQ node of its own (own node name, epmd port, data and config), run as the calling user via the
# upstream scripts rather than Debian's wrapper, which would `su` to the rabbitmq user and drop our settings.

RABBITMQ_SBIN=/usr/lib/rabbitmq/bin

rabbitmq_ctl() { (rabbitmq_export_env && exec "$RABBITMQ_SBIN/rabbitmqctl" "$@"); }

management_ready() {
  curl -fsS -o /dev/null --max-time 2 -u guest:guest "http://127.0.0.1:$OFFNDAT_AMQP_MANAGEMENT_PORT/api/overview"
}

prometheus_endpoint_ready() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$OFFNDAT_AMQP_PROMETHEUS_PORT/metrics"
}

rabbitmq_ready() { port_open "$OFFNDAT_AMQP_PORT" && management_ready && prometheus_endpoint_ready; }

rabbitmq_write_config() {
  mkdir -p "$RABBITMQ_DIR" "$SERVICES_LOG_DIR/rabbitmq"
  cat >"$RABBITMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$OFFNDAT_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $OFFNDAT_AMQP_MANAGEMENT_PORT
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $OFFNDAT_AMQP_PROMETHEUS_PORT
# Queue depths in the HTTP API refresh this often; tests poll them.
collect_statistics_interval = 1000
loopback_users = none
log.console = false
log.file.level = info
# Tests open and close many connections; one line each would bury everything else.
log.connection.level = warning
CONF
  echo '[rabbitmq_management,rabbitmq_prometheus].' >"$RABBITMQ_DIR/enabled_plugins"
  : >"$RABBITMQ_DIR/rabbitmq-env.conf"
  # The CLI and the node must share this cookie; make it before either runs so neither races to create it.
  if [[ ! -s "$RABBITMQ_DIR/.erlang.cookie" ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RABBITMQ_DIR/.erlang.cookie")
  fi
  chmod 400 "$RABBITMQ_DIR/.erlang.cookie"
}

rabbitmq_launch() {
  port_open "$OFFNDAT_AMQP_PORT" && die "rabbitmq: port $OFFNDAT_AMQP_PORT is taken but the management API does not answer"
  rabbitmq_write_config
  log "rabbitmq: starting node offndat-test@localhost on 127.0.0.1:$OFFNDAT_AMQP_PORT (management $OFFNDAT_AMQP_MANAGEMENT_PORT)"
  (rabbitmq_export_env && cd "$RABBITMQ_DIR" && exec "$RABBITMQ_SBIN/rabbitmq-server" -detached) \
    >"$SERVICES_LOG_DIR/rabbitmq-start.log" 2>&1 9>&- ||
    { cat "$SERVICES_LOG_DIR/rabbitmq-start.log" >&2; die "rabbitmq: failed to start"; }
}

rabbitmq_wait() {
  wait_until "$OFFNDAT_SERVICE_TIMEOUT" "rabbitmq on ports $OFFNDAT_AMQP_PORT/$OFFNDAT_AMQP_MANAGEMENT_PORT" rabbitmq_ready ||
    { tail -n 30 "$SERVICES_LOG_DIR"/rabbitmq/*.log >&2 2>/dev/null; die "rabbitmq: not ready (logs: $SERVICES_LOG_DIR/rabbitmq)"; }
}

# Launches without waiting, so PostgreSQL and Redis start while the Erlang node boots; returns 1 when the
# caller still has to wait for the node (rabbitmq_wait).
rabbitmq_up_begin() {
  if rabbitmq_ready; then
    log "rabbitmq: running on 127.0.0.1:$OFFNDAT_AMQP_PORT"
    return 0
  fi
  # A node started before the prometheus plugin was part of the set-up answers AMQP but not /metrics: its
  # configuration is read at boot only, so it is restarted with the current one.
  if port_open "$OFFNDAT_AMQP_PORT" && management_ready && rabbitmq_pid >/dev/null; then
    log "rabbitmq: restarting to enable the prometheus endpoint on 127.0.0.1:$OFFNDAT_AMQP_PROMETHEUS_PORT"
    rabbitmq_down
  fi
  # An earlier `up` that was interrupted may have left our node booting: wait for it instead of a second one.
  if rabbitmq_pid >/dev/null; then
    log "rabbitmq: node already starting (pid $(rabbitmq_pid))"
  else
    rabbitmq_launch
  fi
  return 1
}

# The pid file outlives a killed node; only trust it while that pid still is a live Erlang VM.
rabbitmq_pid() {
  local pid_file="$SERVICES_RUN_DIR/rabbitmq.pid" pid
  [[ -s $pid_file ]] || return 1
  pid=$(cat "$pid_file")
  proc_alive "$pid" beam.smp && echo "$pid"
}

rabbitmq_gone() { ! proc_alive "$1" beam.smp; }

# SIGTERM is RabbitMQ's graceful stop; it avoids booting a CLI VM (a second or more) just to ask for one.
rabbitmq_down() {
  local pid
  if pid=$(rabbitmq_pid); then
    log "rabbitmq: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 60 "rabbitmq to exit" rabbitmq_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  elif port_open "$OFFNDAT_AMQP_PORT"; then
    log "rabbitmq: stopping (no pid file, asking the node)"
    rabbitmq_ctl -q shutdown >/dev/null 2>&1 || true
  fi
  rm -f "$SERVICES_RUN_DIR/rabbitmq.pid"
}

rabbitmq_restart() {
  rabbitmq_down
  rabbitmq_launch
  rabbitmq_wait
}
