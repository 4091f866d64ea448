import { hostname } from 'node:os'
import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'
import type { RedisOptions } from 'ioredis'

/**
 * Redis is optional: one node runs without it. Set `REDIS_URL`
 * (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS) to run
 * several app nodes: the socket.io adapter, rate-limit counters and
 * cluster-wide locks then live in Redis. Connections open lazily, so
 * nothing connects while `REDIS_URL` is unset.
 */
const url = new URL(env.get('REDIS_URL') ?? 'redis://127.0.0.1:6379/0')

/**
 * Prefix of every key and pub/sub channel of this deployment
 * (`REDIS_KEY_PREFIX`, default `vendora:`). Pub/sub channels are shared by
 * every database number of a Redis server, so two deployments (or two test
 * runs) on one Redis need different prefixes, not only different `/db`s.
 */
const keyPrefix = env.get('REDIS_KEY_PREFIX') ?? 'vendora:'

/**
 * ioredis options for `REDIS_URL`, without the key prefix (the socket.io
 * adapter names its channels itself, from `cluster.keyPrefix`).
 */
function connectionOptions(): RedisOptions {
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number(url.pathname.slice(1) || 0),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Keep trying: a Redis restart must not take the app down for good.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  }
}

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...connectionOptions(),
      keyPrefix,
      lazyConnect: true,
    },
  },
})

export default redisConfig

/**
 * Several app nodes (README "Running several nodes"):
 *
 * - `enabled`: `REDIS_URL` is set, so this process is one node of a
 *   cluster: socket.io rooms span the nodes, run-once jobs take a lock
 *   (ClusterLock) and presence is kept per node;
 * - `nodeId`: this process's name in `machines.connected_node` and in the
 *   Redis node registry (`NODE_ID`, default `<hostname>:<pid>`: unique per
 *   process, so a restarted process is a new node and the old one's
 *   machines are released once its heartbeat lapses);
 * - `keyPrefix`: see above;
 * - `heartbeatMs` / `nodeTtlMs`: how often a node tells Redis it is alive,
 *   and how long after its last heartbeat it counts as gone (ms);
 * - `connectionOptions()`: ioredis options for extra connections (the
 *   adapter's publisher and subscriber).
 */
export const cluster = {
  enabled: Boolean(env.get('REDIS_URL')),
  nodeId: env.get('NODE_ID') ?? `${hostname()}:${process.pid}`,
  keyPrefix,
  heartbeatMs: 5000,
  nodeTtlMs: 20_000,
  connectionOptions,
}

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
