import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'

/**
 * Signs in the user the request's credentials name on `guards` (default:
 * the API's bearer tokens), if they are valid, and lets every request
 * through either way (the official starter kits' "silent auth"). For
 * routes that anyone may call but that treat a known user differently,
 * e.g. `POST /api/v1/users`.
 */
export default class SilentAuthMiddleware {
  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.checkUsing(options.guards)
    return next()
  }
}
