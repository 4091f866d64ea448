import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'

/**
 * Lets only role `admin` through. Runs after `auth`: a signed-in shopper
 * (session or bearer token) gets 403, never the panel.
 */
export default class AdminMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.auth.user?.isAdmin) {
      throw new Exception('Only operators may open the admin panel.', {
        status: 403,
        code: 'E_FORBIDDEN',
      })
    }
    return next()
  }
}
