#!/bin/sh
# Vendora container entrypoint (Dockerfile), run from the built app
# (`node ace build` output) with production dependencies only.
#
# 1. Migrates the database (`node ace migration:run --force`), unless
#    RUN_MIGRATIONS=false: then migrations are a release step you run once
#    per deploy before starting the new containers, e.g.
#      docker run --rm --env-file prod.env -e RUN_MIGRATIONS=false vendora \
#        node ace migration:run --force
#    On PostgreSQL several containers migrating at once is safe (Lucid takes
#    an advisory lock), but a failed migration then stops every container.
# 2. Replaces itself with the command (default `node bin/server.js`) with
#    `exec`, so Node is PID 1 and receives `docker stop`'s SIGTERM directly
#    (graceful shutdown in bin/server.ts).
#
# .ci/run's smoke step runs these same steps outside Docker.
set -eu

if [ "${RUN_MIGRATIONS:-true}" != "false" ]; then
  node ace migration:run --force
fi

exec "$@"
