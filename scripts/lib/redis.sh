# shellcheck shell=bash
# A throwaway Redis for tests: loopback only, no persistence (nothing to recover, nothing to slow writes down).

redis_gone() { ! redis_ready; }

redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$OFFNDAT_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_up() {
  if redis_ready; then
    log "redis: running on 127.0.0.1:$OFFNDAT_REDIS_PORT"
    return 0
  fi
  port_open "$OFFNDAT_REDIS_PORT" && die "redis: port $OFFNDAT_REDIS_PORT is taken by something that is not this Redis"
  mkdir -p "$REDIS_DIR"
  log "redis: starting on 127.0.0.1:$OFFNDAT_REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$OFFNDAT_REDIS_PORT" --protected-mode no \
    --save '' --appendonly no --databases 64 --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$SERVICES_RUN_DIR/redis.pid" --logfile "$SERVICES_LOG_DIR/redis.log" 9>&- ||
    die "redis: failed to start (log: $SERVICES_LOG_DIR/redis.log)"
  wait_until "$OFFNDAT_SERVICE_TIMEOUT" "redis on port $OFFNDAT_REDIS_PORT" redis_ready || die "redis: not ready"
}

redis_down() {
  redis_ready || return 0
  log "redis: stopping"
  redis-cli -h 127.0.0.1 -p "$OFFNDAT_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  wait_until 20 "redis to stop" redis_gone || true
}
