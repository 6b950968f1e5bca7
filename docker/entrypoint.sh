#!/bin/sh
# Maps the container command to a compiled entry point. `exec` replaces the shell with node, so
# SIGTERM from `docker stop` reaches Nest's shutdown hooks directly.
set -e
process="${1:-api}"
shift || true

case "$process" in
  api)     exec node dist/apps/api/apps/api/src/main.js "$@" ;;
  worker)  exec node dist/apps/worker/apps/worker/src/main.js "$@" ;;
  migrate) exec node dist/apps/api/apps/api/src/cli/migrate.js "$@" ;;
  seed)    exec node dist/apps/api/apps/api/src/cli/seed.js "$@" ;;
  *)       exec "$process" "$@" ;;
esac
