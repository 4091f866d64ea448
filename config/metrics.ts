import env from '#start/env'

/**
 * `GET /metrics` (app/services/metrics.ts). With `METRICS_TOKEN` set, a
 * scrape must send `Authorization: Bearer <token>`; unset, the endpoint is
 * open, so keep it off the public proxy either way (nginx/).
 */
const metricsConfig = {
  token: env.get('METRICS_TOKEN') || null,
}

export default metricsConfig
