# shellcheck shell=bash
# A private PostgreSQL cluster for tests. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
# Durability is switched off: the data is disposable and fsync would dominate test time.

pg_run() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$OFFNDAT_PG_PORT" -d postgres -U postgres; }

pg_init() {
  local bin
  bin=$(pg_bin_dir)
  if [[ -f "$PG_DATA_DIR/PG_VERSION" && "$(cat "$PG_DATA_DIR/PG_VERSION")" != "$(basename "$(dirname "$bin")")" ]]; then
    log "postgres: cluster made by another major version; recreating (test data only)"
    rm -rf "$PG_DATA_DIR"
  fi
  [[ -f "$PG_DATA_DIR/PG_VERSION" ]] && return 0
  log "postgres: initdb $PG_DATA_DIR"
  mkdir -p "$PG_DATA_DIR"
  [[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$(dirname "$PG_DATA_DIR")"
  chmod 700 "$PG_DATA_DIR"
  pg_run "$bin/initdb" -D "$PG_DATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C >"$SERVICES_LOG_DIR/initdb.log" 2>&1 ||
    { cat "$SERVICES_LOG_DIR/initdb.log" >&2; die "postgres: initdb failed"; }
  pg_run tee -a "$PG_DATA_DIR/postgresql.conf" >/dev/null <<CONF

# offndat test cluster
max_connections = 400
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
log_min_messages = warning
CONF
}

# Lock files name the postmaster that wrote them; postgres will not start while that pid exists at all.
pg_clear_stale_locks() {
  local lock
  for lock in "$PG_DATA_DIR/postmaster.pid" "$(dirname "$PG_DATA_DIR")/.s.PGSQL.$OFFNDAT_PG_PORT.lock"; do
    if [[ -f $lock ]] && ! proc_alive "$(head -n 1 "$lock")" postgres; then rm -f "$lock"; fi
  done
}

pg_start() {
  # Address and port come from the command line, so changing them here needs no new cluster.
  local options
  options="-c listen_addresses=127.0.0.1 -p $OFFNDAT_PG_PORT -k $(dirname "$PG_DATA_DIR")"
  pg_run "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA_DIR" -l "$PG_LOG" -o "$options" -w -t "$OFFNDAT_SERVICE_TIMEOUT" start >/dev/null 2>&1 9>&-
}

pg_up() {
  if pg_ready; then
    log "postgres: running on 127.0.0.1:$OFFNDAT_PG_PORT"
    return 0
  fi
  port_open "$OFFNDAT_PG_PORT" && die "postgres: port $OFFNDAT_PG_PORT is taken by something that is not this cluster"
  pg_init
  log "postgres: starting on 127.0.0.1:$OFFNDAT_PG_PORT"
  # Right after a kill the old postmaster may linger as a zombie and its children may still hold shared
  # memory; postgres then refuses to start, so clear dead lock files and try again for a few seconds.
  local attempt
  for attempt in 1 2 3 4 5; do
    pg_clear_stale_locks
    pg_start && break
    ((attempt < 5)) || { tail -n 20 "$PG_LOG" >&2; die "postgres: failed to start (log: $PG_LOG)"; }
    sleep 1
  done
  wait_until "$OFFNDAT_SERVICE_TIMEOUT" "postgres on port $OFFNDAT_PG_PORT" pg_ready || die "postgres: not ready"
}

pg_down() {
  [[ -f "$PG_DATA_DIR/postmaster.pid" ]] || return 0
  log "postgres: stopping"
  pg_run "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA_DIR" -m fast -w -t 60 stop >/dev/null || true
}
