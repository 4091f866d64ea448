/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

/*
 * Run on every request, matched route or not.
 */
server.use([
  // First: every later middleware and log line uses the request id.
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/http_metrics_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('@adonisjs/static/static_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
])

/*
 * Run on requests with a matched route.
 */
router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  forceJson: () => import('#middleware/force_json_response_middleware'),
  admin: () => import('#middleware/admin_middleware'),
  shopper: () => import('#middleware/shopper_middleware'),
})
