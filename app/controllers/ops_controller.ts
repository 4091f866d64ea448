import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { safeEqual } from '@adonisjs/core/helpers'
import type { HttpContext } from '@adonisjs/core/http'
import Readiness from '#services/readiness'
import Metrics from '#services/metrics'

/**
 * Operations endpoints for load balancers, orchestrators and Prometheus.
 * None of them touches a session or needs a user.
 */
@inject()
export default class OpsController {
  constructor(
    protected readiness: Readiness,
    protected processMetrics: Metrics
  ) {}

  /**
   * GET /health — liveness: the process answers HTTP. Deliberately checks
   * nothing else, so a database outage does not get every node restarted.
   *
   * 200 `{ status: 'ok' }`
   */
  async health() {
    return { status: 'ok' }
  }

  /**
   * GET /ready — readiness: the database and (when configured) Redis answer.
   *
   * 200 `{ status: 'ready', checks: { database: 'ok', redis: 'ok' | 'not_configured' } }`,
   * or 503 `{ status: 'not_ready', checks }` with the failing check `failed`.
   */
  async ready({ response }: HttpContext) {
    const report = await this.readiness.check()
    response.header('Cache-Control', 'no-store')
    return response
      .status(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks })
  }

  /**
   * GET /metrics — Prometheus text format (see app/services/metrics.ts).
   * With `METRICS_TOKEN` set, 401 `{ errors: [{ code: 'unauthorized' }] }`
   * unless the request carries `Authorization: Bearer <METRICS_TOKEN>`.
   */
  async metrics({ request, response }: HttpContext) {
    const token = app.config.get<string | null>('metrics.token', null)
    if (token && !safeEqual(bearerToken(request.header('authorization')), token)) {
      response.header('WWW-Authenticate', 'Bearer realm="metrics"')
      return response.status(401).send({
        errors: [
          {
            code: 'unauthorized',
            message: 'A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>).',
          },
        ],
      })
    }
    const { contentType, body } = await this.processMetrics.scrape()
    response.header('Content-Type', contentType)
    response.header('Cache-Control', 'no-store')
    return response.send(body)
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header, or '' (which
 * never equals a configured token).
 */
function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? match[1] : ''
}
