import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { inject } from '@adonisjs/core'
import Metrics from '#services/metrics'

/**
 * Probes and scrapes, logged at debug only: a health check every few
 * seconds from each load balancer would otherwise fill the info log.
 */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics'])

/**
 * Routes that serve files (front-end libraries, product images), logged at
 * debug only like the files of public/: every page pulls several, and
 * their lines buried the ones that matter (in the demo, the printed
 * credentials scrolled away within minutes).
 */
const FILE_ROUTES = new Set(['/assets/vendor/:name', '/uploads/products/:file'])

/**
 * Times every request (a server middleware, so 404s and static files are
 * timed too) into `http_request_duration_seconds{method,route,status_code}`
 * and writes one access-log line through the request's logger, which
 * carries its `request_id`:
 *
 *   { request_id, method, route, url, status, duration_ms, msg: 'request completed' }
 *
 * `route` is the matched pattern (`/api/v1/orders/:id`) or `unmatched`,
 * never the raw URL, so the series count stays bounded. `url` is the path
 * alone: query strings are not logged (they may carry secrets).
 * The time ends when the response is ready to be written (the framework
 * writes it after all middleware), not when the last byte left.
 *
 * The line is at debug level for probes and for static files (public/,
 * vendor assets, product images); a missing file (404) is still logged at
 * info.
 */
@inject()
export default class HttpMetricsMiddleware {
  constructor(protected metrics: Metrics) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    try {
      await next()
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const method = ctx.request.method()
      const route = ctx.route?.pattern ?? 'unmatched'
      const status = ctx.response.getStatus()
      this.metrics.httpRequestDuration.observe(
        { method, route, status_code: String(status) },
        seconds
      )
      const line = {
        method,
        route,
        url: ctx.request.url(),
        status,
        duration_ms: Math.round(seconds * 1e4) / 10,
      }
      if (QUIET_ROUTES.has(route) || servedFile(ctx)) ctx.logger.debug(line, 'request completed')
      else ctx.logger.info(line, 'request completed')
    }
  }
}

/**
 * Whether the request was answered with a file: by the static middleware
 * (public/), which writes the response itself before any route is matched,
 * whereas the framework writes every other response only after all
 * middleware ran; or by one of `FILE_ROUTES`.
 */
function servedFile(ctx: HttpContext): boolean {
  if (!ctx.route) return ctx.response.response.headersSent
  return FILE_ROUTES.has(ctx.route.pattern) && ctx.response.getStatus() < 400
}
