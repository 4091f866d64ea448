import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * Redis is optional: one node runs without it. Set `REDIS_URL`
 * (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS) to run
 * several app nodes: the socket.io adapter, rate-limit counters and
 * cluster-wide locks then live in Redis. Connections open lazily, so
 * nothing connects while `REDIS_URL` is unset.
 */
const url = new URL(env.get('REDIS_URL') ?? 'redis://127.0.0.1:6379/0')

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: Number(url.pathname.slice(1) || 0),
      tls: url.protocol === 'rediss:' ? {} : undefined,
      keyPrefix: 'vendora:',
      lazyConnect: true,
      // Keep trying: a Redis restart must not take the app down for good.
      retryStrategy: (times) => Math.min(times * 200, 2000),
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
