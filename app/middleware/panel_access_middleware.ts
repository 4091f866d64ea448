import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import { errors as authErrors } from '@adonisjs/auth'
import PanelPolicy from '#policies/panel_policy'
import { PANEL_AREAS, roleMayOpen } from '#policies/panel_access'

/**
 * Every panel route's gate, after `auth`: a shopper (session or bearer
 * token) gets 403; a deactivated user is signed out on the spot (the
 * session ends; a page goes to the login form, a script gets 401); any
 * other panel user passes when `PanelPolicy.open` lets their role open the
 * matched route's name, else 403 (the error page, or JSON for JSON
 * requests, as every refusal).
 */
export default class PanelAccessMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.user
    // For the pages and error pages of this request: the nav's links and
    // whether money is shown follow the role.
    const active = !!user?.isActivePanelUser
    ctx.view.share({
      panelNav: active ? PANEL_AREAS.filter((area) => roleMayOpen(user!.role, area.route)) : [],
      seesMoney: active && user!.seesMoney,
    })
    if (!user?.isPanelUser) {
      throw new Exception('Only operators may open the admin panel.', {
        status: 403,
        code: 'E_FORBIDDEN',
      })
    }
    if (user.deactivatedAt) {
      const message = 'This account has been deactivated.'
      if (ctx.auth.authenticatedViaGuard === 'web') {
        await ctx.auth.use('web').logout()
        ctx.session.flash('error', message)
      }
      throw new authErrors.E_UNAUTHORIZED_ACCESS(message, {
        redirectTo: '/admin/login',
        guardDriverName: 'session',
      })
    }
    // Bouncer's own refusal renders itself, bypassing the panel's error
    // pages: the same 403 as any refusal instead (`forbidden` in JSON).
    if (await ctx.bouncer.with(PanelPolicy).denies('open', ctx.route?.name, ctx.request.method())) {
      throw new Exception('Your role may not open this page.', {
        status: 403,
        code: 'E_AUTHORIZATION_FAILURE',
      })
    }
    return next()
  }
}
