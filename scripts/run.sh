#!/bin/sh
# `npm start`: runs the API from a fresh clone with nothing but Node. Installs dependencies and builds only when
# they are missing or older than their sources, so a second start is immediate. scripts/start-local.ts then runs
# the built api, with an embedded PostgreSQL of its own when DATABASE_URL is unset.
set -eu

cd "$(dirname "$0")/.."

# npm records what it installed in node_modules/.package-lock.json; a newer package-lock.json means a stale tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[run] installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

stamp=dist/.build-stamp
needs_build() {
  [ -f "$stamp" ] || return 0
  [ -f dist/api/main.js ] || return 0
  [ -n "$(find api core worker migrations package-lock.json tsconfig.json tsconfig.build.json -newer "$stamp" -print 2>/dev/null | head -n 1)" ]
}
if needs_build; then
  echo "[run] building (npm run build)" >&2
  npm run --silent build >&2
  touch "$stamp"
fi

# exec keeps one process between npm and the launcher, so the SIGTERM or SIGINT npm forwards reaches it. A session
# of its own (setsid, where it exists) keeps the terminal's Ctrl-C from also hitting the api and PostgreSQL
# directly: the launcher passes the signal on once, and stops PostgreSQL only after the api has drained. Not when
# this script leads its own process group (run straight from a shell): setsid would then have to fork, and the
# terminal's signals would stop at the fork.
launch="node -r ./scripts/lib/swc-register.cjs scripts/start-local.ts"
if command -v setsid >/dev/null 2>&1 && [ -r /proc/$$/stat ] && [ "$(cut -d' ' -f5 /proc/$$/stat)" != "$$" ]; then
  exec setsid $launch "$@"
fi
exec $launch "$@"
