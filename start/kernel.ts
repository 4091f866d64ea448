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
 * Run on requests with a matched route. Sessions and shield (CSRF, security
 * headers) are not here: only the pages use them (`webMiddleware()`), so
 * the JSON API, the webhook and the ops endpoints set no cookies and pay
 * for no session store on every call.
 */
router.use([
  // Around the body parser: deletes the temp files it writes for uploads.
  () => import('#middleware/upload_tmp_files_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  session: () => import('@adonisjs/session/session_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  silentAuth: () => import('#middleware/silent_auth_middleware'),
  forceJson: () => import('#middleware/force_json_response_middleware'),
  panelAccess: () => import('#middleware/panel_access_middleware'),
  shopper: () => import('#middleware/shopper_middleware'),
  firmwareUpload: () => import('#middleware/firmware_upload_middleware'),
})

/**
 * What every server-rendered page's route group starts with: the session
 * (flash messages, the `web` and `shopper` guards), then shield (CSRF on
 * forms). Put before a group's auth middleware, which reads the session.
 */
export function webMiddleware() {
  return [middleware.session(), middleware.shield()]
}
