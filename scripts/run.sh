#!/bin/sh
# `npm start`: runs the API from a fresh clone with nothing but Node. Installs dependencies and builds only when
# they are missing or older than their sources, so a second start is immediate.
# Without DATABASE_URL the API starts an embedded PostgreSQL of its own (see api/main.ts).
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

exec node dist/api/main.js "$@"
