# syntax=docker/dockerfile:1
#
# Vendora production image: the compiled AdonisJS app (`node ace build`)
# with production dependencies only, run as the unprivileged `node` user.
#
#   docker build -t vendora .
#   docker run -p 3333:3333 -e APP_KEY=... -e DB_CONNECTION=pg \
#     -e PG_HOST=... -e PG_USER=... -e PG_PASSWORD=... -e PG_DATABASE=vendora vendora
#
# On start, bin/docker-entrypoint.sh migrates the database (skip with
# RUN_MIGRATIONS=false and run `node ace migration:run --force` as a release
# step), then starts the HTTP server with the socket.io device gateway on
# PORT. Put nginx in front of it (nginx/); keep /metrics off the public side.
# Probes: GET /health (liveness, used by HEALTHCHECK), GET /ready (database
# and Redis reachable), GET /metrics (Prometheus; METRICS_TOKEN).
#
# CI cannot run Docker; .ci/run checks the same steps instead: `node ace
# build`, `npm ci --omit=dev` in a copy of build/, then this entrypoint.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- Base: Node and the working directory -----------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app

# ---- All dependencies, for the build -----------------------------------------
# better-sqlite3 is a native module: when no prebuilt binary can be fetched it
# compiles from source, which needs Python and a C++ toolchain.
FROM base AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- Production dependencies only ---------------------------------------------
# Pruned from the full install, so the native better-sqlite3 build is reused and the
# runtime image needs no compiler.
FROM deps AS production-deps
RUN npm prune --omit=dev --no-audit --no-fund

# ---- Build: TypeScript to JavaScript in build/ ---------------------------------
FROM deps AS build
COPY . .
RUN node ace build

# ---- Runtime ---------------------------------------------------------------
FROM base AS production
ENV NODE_ENV=production \
    TZ=UTC \
    HOST=0.0.0.0 \
    PORT=3333 \
    LOG_LEVEL=info \
    RUN_MIGRATIONS=true

COPY --from=production-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./
COPY --from=build --chown=node:node --chmod=0755 /app/bin/docker-entrypoint.sh ./bin/docker-entrypoint.sh
# tmp/ holds the SQLite file when DB_CONNECTION=sqlite; mount a volume there
# to keep it, or use PostgreSQL (recommended for production). Uploaded
# product images go to storage/ (PRODUCT_UPLOADS_DIR): mount a volume there
# too, or every node keeps its own copies.
RUN mkdir -p tmp storage/uploads/products && chown -R node:node tmp storage

USER node
EXPOSE ${PORT}

# Liveness only: /health answers without touching the database, so a
# database outage does not get every container restarted. Load balancers
# should use GET /ready. Node's fetch, as the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3333) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# docker stop sends SIGTERM; the entrypoint `exec`s Node, so it reaches the
# app's graceful shutdown (bin/server.ts).
STOPSIGNAL SIGTERM
ENTRYPOINT ["./bin/docker-entrypoint.sh"]
CMD ["node", "bin/server.js"]
