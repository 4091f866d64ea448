import router from '@adonisjs/core/services/router'
import { middleware, webMiddleware } from '#start/kernel'

/**
 * Registers panel routes under `/admin`, each open to the roles its name's
 * rule lists (`PANEL_ROUTE_RULES`, app/policies/panel_access.ts; a route
 * without a rule is closed and fails route_rules.spec.ts). Session last in
 * the guard list: when both fail a browser is redirected to the login page,
 * and a shopper's bearer token is still recognised so it gets 403.
 */
export function panelRoutes(routes: () => void) {
  return router
    .group(routes)
    .prefix('/admin')
    .use([
      ...webMiddleware(),
      middleware.auth({ guards: ['api', 'web'] }),
      middleware.panelAccess(),
    ])
}
