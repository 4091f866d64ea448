import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

/**
 * Rate limits. The memory store fits one server process; several nodes
 * must share their counters, so with `REDIS_URL` set the default is the
 * Redis store (the `main` connection of config/redis.ts, keys
 * `<REDIS_KEY_PREFIX>rlflx:<limit>_<key>`). `LIMITER_STORE` overrides
 * either way. The Redis store's `clear()` runs FLUSHDB: never call
 * `limiter.clear()` against a Redis database that holds anything else.
 */
const limiterConfig = defineConfig({
  default: env.get('LIMITER_STORE', env.get('REDIS_URL') ? 'redis' : 'memory'),
  stores: {
    // Redis connections open lazily: nothing connects unless this store is used.
    redis: stores.redis({ connectionName: 'main' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

/**
 * One limit: `requests` allowed per `duration` (a time expression such as
 * '1 minute', or seconds), counted in a fixed window that starts with the
 * first request. `requests: 0` turns the limit off.
 */
export interface RateLimit {
  requests: number
  duration: string | number
}

/**
 * The application's limits (issue #7), read at request time by the named
 * throttles in start/limiter.ts, the shopper middleware and the device
 * gateway, so a test can lower one for a moment. Refused requests get 429
 * `too_many_requests` with `Retry-After` (seconds); a refused device
 * connect gets the connect error `rate_limited`.
 */
export const rateLimits = {
  /** Shoppers created per client IP (`POST /api/v1/users` and first visits to `/m/:code`). */
  shopperCreation: { requests: env.get('LIMIT_SHOPPERS_PER_HOUR', 20), duration: '1 hour' } as RateLimit,
  /** Buys and pay-per-vend payments per shopper (API and shopper page together). */
  buy: { requests: env.get('LIMIT_BUYS_PER_MINUTE', 30), duration: '1 minute' } as RateLimit,
  /** Wallet top-ups per shopper (API and shopper page together). */
  topUp: { requests: env.get('LIMIT_TOP_UPS_PER_MINUTE', 10), duration: '1 minute' } as RateLimit,
  /**
   * Connect attempts per machine code and IP on `/devices`. No block
   * period: the window ends a minute after its first attempt whatever the
   * device does meanwhile, so the Arduino client's 500 ms retry loop cannot
   * lock a machine out for longer than that.
   */
  deviceConnect: { requests: env.get('LIMIT_DEVICE_CONNECTS_PER_MINUTE', 30), duration: '1 minute' } as RateLimit,
}

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
