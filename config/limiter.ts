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
 * The default shopper-creation limits per client IP (see `rateLimits`).
 *
 * Sized for a campus behind one NAT address, where every shopper shares
 * the address: a lunch rush of 300 new shoppers in ten minutes is 30 a
 * minute on average, and its busiest minutes may bring several times
 * that. A fixed window can straddle two minutes of the rush and count
 * both, so the burst limit lets through 120 in any window (two adjacent
 * minutes of 60). A script creating shoppers as fast as it can gets 120 a
 * minute, and 1200 an hour at most: ten minutes at the burst limit, then
 * nothing until its hour window ends.
 */
export const shopperCreationDefaults = {
  perMinute: 120,
  perHour: 1200,
}

/**
 * The application's limits, read at request time by the named
 * throttles in start/limiter.ts, the shopper middleware and the device
 * gateway, so a test can lower one for a moment. Refused requests get 429
 * `too_many_requests` with `Retry-After` (seconds); a refused device
 * connect gets the connect error `rate_limited`.
 */
export const rateLimits = {
  /**
   * Shoppers created per client IP (`POST /api/v1/users` without a valid
   * shopper token, and first visits to `/m/:code`), in two counters that
   * must both allow a creation: a burst limit per minute ...
   */
  shopperCreationBurst: {
    requests: env.get('LIMIT_SHOPPERS_PER_MINUTE', shopperCreationDefaults.perMinute),
    duration: '1 minute',
  } as RateLimit,
  /** ... and a cap per hour. A shopper the request already names is never counted. */
  shopperCreation: {
    requests: env.get('LIMIT_SHOPPERS_PER_HOUR', shopperCreationDefaults.perHour),
    duration: '1 hour',
  } as RateLimit,
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
  deviceConnect: {
    requests: env.get('LIMIT_DEVICE_CONNECTS_PER_MINUTE', 30),
    duration: '1 minute',
  } as RateLimit,
}

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
