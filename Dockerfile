# syntax=docker/dockerfile:1
#
# Vendora production image: the compiled AdonisJS app (`node ace build`)
# with production dependencies only, run as the unprivileged `node` user.
#
#   docker build -t vendora .
#   docker run -p 3333:3333 -e APP_KEY=... -e DB_CONNECTION=pg \
#     -e PG_HOST=... -e PG_USER=... -e PG_PASSWORD=... -e PG_DATABASE=vendora vendora
#
# The container migrates the database, then starts the HTTP server with the
# socket.io device gateway on PORT. Put nginx in front of it (nginx/).
# CI cannot run Docker; it checks the same steps instead: `node ace build`,
# `node ace migration:run --force` and `node bin/server.js` from build/.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- Base: Node and the working directory -----------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app

# ---- All dependencies, for the build -----------------------------------------
# sqlite3 is a native module: when no prebuilt binary can be fetched it
# compiles from source, which needs Python and a C++ toolchain.
FROM base AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- Production dependencies only ---------------------------------------------
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
    LOG_LEVEL=info

COPY --from=production-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./
# tmp/ holds the SQLite file when DB_CONNECTION=sqlite; mount a volume there
# to keep it, or use PostgreSQL (recommended for production).
RUN mkdir -p tmp && chown node:node tmp

USER node
EXPOSE 3333

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3333) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# `exec` makes Node PID 1, so `docker stop` (SIGTERM) reaches the app's own
# graceful shutdown (bin/server.ts).
CMD ["sh", "-c", "node ace migration:run --force && exec node bin/server.js"]
