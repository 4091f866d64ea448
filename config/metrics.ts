import env from '#start/env'

/**
 * `GET /metrics` (app/services/metrics.ts). With `METRICS_TOKEN` set, a
 * scrape must send `Authorization: Bearer <token>`; unset, the endpoint is
 * open, so keep it off the public proxy either way (nginx/).
 */
const metricsConfig = {
  token: env.get('METRICS_TOKEN') || null,
  /**
   * Resolution (ms) of the event-loop delay histogram
   * (`nodejs_eventloop_lag_*`): its timer wakes the process this often,
   * which alone costs about 1 % of a core at 10 ms. `npm run demo` uses
   * 100 ms unless this is set, so the idle demo stays under 1 %.
   */
  eventLoopPrecisionMs: env.get('METRICS_EVENT_LOOP_PRECISION_MS', 10),
}

export default metricsConfig
