#!/usr/bin/env bash
# A throwaway Kubernetes control plane on loopback: etcd + kube-apiserver only (no kubelet, scheduler or
# controller-manager), enough for objects to be validated, admitted, stored and read back. CRDs work; Deployments
# never get pods and namespaces never finish deleting, so callers use fresh namespace names.
#
#   scripts/k8s/apiserver.sh start   start (idempotent: a healthy running server is reused), wait for /readyz,
#                                    print KEY=VALUE lines (see env); each fresh start gets an empty etcd
#   scripts/k8s/apiserver.sh stop    stop both processes (only those recorded in the pid files)
#   scripts/k8s/apiserver.sh status  exit 0 when ready
#   scripts/k8s/apiserver.sh env     print KUBECONFIG, OFFNDAT_APISERVER_URL, OFFNDAT_APISERVER_TOKEN
#
# Admin access is a static bearer token in group system:masters; authorization is real RBAC.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${OFFNDAT_APISERVER_DIR:-${TMPDIR:-/tmp}/offndat-apiserver}"
ETCD_PORT="${OFFNDAT_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${OFFNDAT_ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${OFFNDAT_APISERVER_PORT:-26443}"
URL="https://127.0.0.1:$APISERVER_PORT"
KUBECONFIG_PATH="$STATE_DIR/kubeconfig"

log() { printf '[apiserver] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

alive() { [[ -f "$STATE_DIR/$1.pid" ]] && kill -0 "$(cat "$STATE_DIR/$1.pid")" 2>/dev/null; }
token() { cat "$STATE_DIR/admin.token"; }
ready() {
  [[ -f "$STATE_DIR/admin.token" ]] && alive etcd && alive kube-apiserver &&
    curl -fsk --max-time 3 -H "Authorization: Bearer $(token)" "$URL/readyz" >/dev/null 2>&1
}

print_env() {
  printf 'KUBECONFIG=%s\nOFFNDAT_APISERVER_URL=%s\nOFFNDAT_APISERVER_TOKEN=%s\n' "$KUBECONFIG_PATH" "$URL" "$(token)"
}

stop_one() {
  local name="$1" pid
  [[ -f "$STATE_DIR/$name.pid" ]] || return 0
  pid="$(cat "$STATE_DIR/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE_DIR/$name.pid"
}

stop() {
  stop_one kube-apiserver
  stop_one etcd
  log "stopped"
}

write_credentials() {
  mkdir -p "$STATE_DIR/certs"
  chmod 700 "$STATE_DIR"
  [[ -f "$STATE_DIR/sa.key" ]] || {
    openssl genrsa -out "$STATE_DIR/sa.key" 2048 2>/dev/null
    openssl rsa -in "$STATE_DIR/sa.key" -pubout -out "$STATE_DIR/sa.pub" 2>/dev/null
  }
  [[ -f "$STATE_DIR/admin.token" ]] || od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$STATE_DIR/admin.token"
  printf '%s,admin,admin,system:masters\n' "$(token)" >"$STATE_DIR/tokens.csv"
  cat >"$KUBECONFIG_PATH" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: offndat-local
    cluster:
      server: $URL
      # The server self-signs its loopback certificate on each start (--cert-dir).
      insecure-skip-tls-verify: true
users:
  - name: admin
    user:
      token: $(token)
contexts:
  - name: offndat-local
    context: {cluster: offndat-local, user: admin}
current-context: offndat-local
KUBECONFIG
  chmod 600 "$KUBECONFIG_PATH"
}

start() {
  mkdir -p "$STATE_DIR"
  exec {lockfd}>"$STATE_DIR.lock"
  flock "$lockfd"
  if ready; then print_env; return 0; fi
  stop_one kube-apiserver
  stop_one etcd

  local tools_env
  tools_env="$("$HERE/tools.sh" ensure etcd kube-apiserver)"
  local ETCD_BIN KUBE_APISERVER_BIN
  ETCD_BIN="$(sed -n 's/^ETCD_BIN=//p' <<<"$tools_env")"
  KUBE_APISERVER_BIN="$(sed -n 's/^KUBE_APISERVER_BIN=//p' <<<"$tools_env")"

  write_credentials
  rm -rf "$STATE_DIR/etcd-data" "$STATE_DIR/certs"/*

  # setsid + redirections: the servers outlive the caller and hold none of its pipes open (a test runner that
  # spawns this script waits for its stdout to close), nor the start lock (a crashed start must not leave it held).
  setsid "$ETCD_BIN" --name offndat --data-dir "$STATE_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "offndat=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --log-level warn \
    </dev/null >"$STATE_DIR/etcd.log" 2>&1 {lockfd}>&- &
  echo $! >"$STATE_DIR/etcd.pid"

  for _ in $(seq 1 100); do
    curl -fs --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1 && break
    alive etcd || { tail -n 20 "$STATE_DIR/etcd.log" >&2; die "etcd exited"; }
    sleep 0.2
  done

  # ServiceAccount admission is off (as in controller-runtime's envtest): no token controller runs here.
  setsid "$KUBE_APISERVER_BIN" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --cert-dir "$STATE_DIR/certs" \
    --token-auth-file "$STATE_DIR/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-issuer "$URL" \
    --service-account-key-file "$STATE_DIR/sa.pub" \
    --service-account-signing-key-file "$STATE_DIR/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --allow-privileged=true \
    --disable-admission-plugins ServiceAccount \
    --enable-priority-and-fairness=false \
    --v 0 \
    </dev/null >"$STATE_DIR/kube-apiserver.log" 2>&1 {lockfd}>&- &
  echo $! >"$STATE_DIR/kube-apiserver.pid"

  local started=$SECONDS
  until ready; do
    alive kube-apiserver || { tail -n 30 "$STATE_DIR/kube-apiserver.log" >&2; die "kube-apiserver exited"; }
    ((SECONDS - started < 120)) || { tail -n 30 "$STATE_DIR/kube-apiserver.log" >&2; die "not ready after 120s"; }
    sleep 0.5
  done
  log "ready at $URL ($((SECONDS - started))s); kubeconfig $KUBECONFIG_PATH"
  flock -u "$lockfd"
  print_env
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) ready ;;
  env) [[ -f "$STATE_DIR/admin.token" ]] || die "never started"; print_env ;;
  *) die "usage: $0 start|stop|status|env" ;;
esac
