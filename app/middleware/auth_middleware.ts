import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'

/**
 * Requires an authenticated user on one of `guards` (default: the API's
 * bearer tokens). Unauthenticated API calls get 401; panel pages redirect
 * to the login page.
 */
export default class AuthMiddleware {
  redirectTo = '/admin/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    return next()
  }
}
