/*
|--------------------------------------------------------------------------
| Named rate-limit middleware (issue #7)
|--------------------------------------------------------------------------
|
| Applied in routes/api_v1.ts and routes/shopper.ts after the group's auth
| middleware, so per-shopper limits know the shopper. Limits come from
| `rateLimits` (config/limiter.ts), read on every request. A refused request
| never reaches its controller, so it changes nothing; it gets 429
| `too_many_requests` with `Retry-After` in seconds (API, JSON) or a flash
| message back on the shopper's page (forms); see app/exceptions/handler.ts.
*/
import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import { rateLimits, type RateLimit } from '#config/limiter'

/**
 * An HTTP limiter for `limit`, or none when the limit is off (0 requests).
 */
function allow(limit: RateLimit) {
  return limit.requests > 0 ? limiter.allowRequests(limit.requests).every(limit.duration) : limiter.noLimit()
}

/**
 * The shopper-creation limit per client IP. Shared by the API's
 * `POST /api/v1/users` (through `throttleShopperCreation`) and the shopper
 * middleware's first visit to `/m/:code`: both count against the key
 * `shopper_creation_ip_<ip>`.
 */
export function shopperCreationLimiter() {
  return allow(rateLimits.shopperCreation)
}

export const throttleShopperCreation = limiter.define('shopper_creation', () => shopperCreationLimiter())

/**
 * Buys and pay-per-vend payments per signed-in shopper, API and shopper
 * page together (key `buy_user_<id>`).
 */
export const throttleBuys = limiter.define('buy', (ctx: HttpContext) => allow(rateLimits.buy)?.usingKey(userKey(ctx)) ?? null)

/**
 * Wallet top-ups per signed-in shopper, API and shopper page together
 * (key `top_up_user_<id>`).
 */
export const throttleTopUps = limiter.define('top_up', (ctx: HttpContext) => allow(rateLimits.topUp)?.usingKey(userKey(ctx)) ?? null)

/**
 * The signed-in user (set by the `auth` or `shopper` middleware that runs
 * first); the IP address if there is none, which cannot happen on the
 * routes these throttles guard.
 */
function userKey(ctx: HttpContext) {
  return ctx.auth.user ? `user_${ctx.auth.user.id}` : `ip_${ctx.request.ip()}`
}
