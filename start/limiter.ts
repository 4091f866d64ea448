/*
|--------------------------------------------------------------------------
| Named rate-limit middleware
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
import { Role } from '#enums/role'
import type User from '#models/user'

/**
 * An HTTP limiter for `limit`, or none when the limit is off (0 requests).
 */
function allow(limit: RateLimit) {
  return limit.requests > 0
    ? limiter.allowRequests(limit.requests).every(limit.duration)
    : limiter.noLimit()
}

/**
 * The shopper-creation limits per client IP, in the order they are
 * checked: the burst limit per minute (key
 * `shopper_creation_burst_ip_<ip>`), then the cap per hour (key
 * `shopper_creation_ip_<ip>`). A refusal by the first leaves the second
 * untouched.
 */
function shopperCreationLimits() {
  return [
    { name: 'shopper_creation_burst', limit: rateLimits.shopperCreationBurst },
    { name: 'shopper_creation', limit: rateLimits.shopperCreation },
  ]
}

/**
 * Counts one new shopper against every shopper-creation limit. Called by
 * the shopper middleware on a first visit to `/m/:code`, only once it has
 * found no shopper in the request's cookies; `POST /api/v1/users` counts
 * through `throttleShopperCreation`.
 *
 * @throws E_TOO_MANY_REQUESTS (429) when a limit is reached; nothing is counted after it
 */
export async function throttleShopperCreationFor(ctx: HttpContext): Promise<void> {
  for (const { name, limit } of shopperCreationLimits()) await allow(limit)?.throttle(name, ctx)
}

/**
 * `POST /api/v1/users`: the same limits as route middleware, after
 * `silentAuth`. A request whose bearer token already names a shopper is
 * not counted (the controller answers with that shopper and creates
 * nobody).
 */
export const throttleShopperCreation = shopperCreationLimits().map(({ name, limit }) =>
  limiter.define(name, (ctx: HttpContext) => (isShopper(ctx.auth.user) ? null : allow(limit)))
)

/**
 * Buys and pay-per-vend payments per signed-in shopper, API and shopper
 * page together (key `buy_user_<id>`).
 */
export const throttleBuys = limiter.define(
  'buy',
  (ctx: HttpContext) => allow(rateLimits.buy)?.usingKey(userKey(ctx)) ?? null
)

/**
 * Wallet top-ups per signed-in shopper, API and shopper page together
 * (key `top_up_user_<id>`).
 */
export const throttleTopUps = limiter.define(
  'top_up',
  (ctx: HttpContext) => allow(rateLimits.topUp)?.usingKey(userKey(ctx)) ?? null
)

/**
 * The signed-in user (set by the `auth` or `shopper` middleware that runs
 * first); the IP address if there is none, which cannot happen on the
 * routes these throttles guard.
 */
function userKey(ctx: HttpContext) {
  return ctx.auth.user ? `user_${ctx.auth.user.id}` : `ip_${ctx.request.ip()}`
}

/**
 * Whether `user` is a shopper (not an admin acting through the API).
 */
function isShopper(user: User | undefined): boolean {
  return user?.role === Role.User
}
