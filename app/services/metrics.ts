import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import metricsConfig from '#config/metrics'

/**
 * How a vend ended, as counted: a device's `VendResult`, `timeout` (the
 * sweeper gave up) or `cancelled_by_admin` (an operator ended it).
 */
export type VendMetricResult = string

/**
 * Where a refund's money went: back to the shopper's wallet (ledger
 * credit) or to the card a pay-per-vend order was paid with.
 */
export type RefundDestination = 'wallet' | 'card'

/**
 * How long a scrape may reuse the last `vendora_orders` count: a scraper
 * every few seconds, or several scrapers at once, must not turn into a
 * grouped COUNT over the whole orders table each time.
 */
const ORDERS_CACHE_MS = 5_000

/**
 * Request latency buckets (seconds): API calls are tens of milliseconds;
 * the tail up to 10 s shows a slow database or payment provider.
 */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * Vend latency buckets (seconds): a motor turn and drop sensor take a few
 * seconds; `VEND_TIMEOUT_MS` (60 s by default) ends the tail.
 */
const VEND_BUCKETS = [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120]

/**
 * The Prometheus metrics of one server process, served at `GET /metrics`
 * (text format 0.0.4) from their own `Registry`, never prom-client's global
 * one, so nothing a library registers there leaks into our scrape and a test
 * can build a fresh instance.
 *
 * - `http_request_duration_seconds{method,route,status_code}` histogram:
 *   `route` is the matched route pattern (`/api/v1/orders/:id`), or
 *   `unmatched`, never the raw URL, so ids do not explode the series count.
 * - `vendora_vends_total{result}` counter: vends settled (`SettleVend`).
 * - `vendora_vend_latency_seconds{result}` histogram: from the command's
 *   dispatch (`orders.dispatched_at`) to its settlement; vends never
 *   dispatched (timed out while pending) are not observed.
 * - `vendora_devices_connected` gauge: devices connected to this process
 *   (read from `DeviceChannel` at scrape time; sum over nodes).
 * - `vendora_orders{status}` gauge: orders per status in the database
 *   (cluster-wide; every node reports the same figure), cached 5 s.
 * - `vendora_refunds_total{to}` counter: refunds committed to a wallet
 *   (`RefundOrder`) or accepted by the provider for a card
 *   (`IssueCardRefund`).
 * - prom-client's default process metrics (`process_*`, `nodejs_*`).
 *
 * Counters are per process and start at zero on boot, as Prometheus
 * expects (`rate()` handles resets). One instance per process: a container
 * singleton (providers/vending_provider.ts), injected where a figure is
 * counted.
 */
export default class Metrics {
  readonly registry = new Registry()

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  })

  readonly vends = new Counter({
    name: 'vendora_vends_total',
    help: 'Vends settled, by result (dropped, no_drop, jam, sensor_fault, interrupted, timeout, cancelled_by_admin)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  })

  readonly vendLatency = new Histogram({
    name: 'vendora_vend_latency_seconds',
    help: 'Seconds from sending a vend command to its settlement, by result',
    labelNames: ['result'] as const,
    buckets: VEND_BUCKETS,
    registers: [this.registry],
  })

  readonly refunds = new Counter({
    name: 'vendora_refunds_total',
    help: 'Refunds, by destination: wallet (credited) or card (accepted by the payment provider)',
    labelNames: ['to'] as const,
    registers: [this.registry],
  })

  #ordersCache: { at: number; counts: Map<string, number> } | null = null

  constructor(
    /**
     * Sources read at scrape time: the process's connected devices
     * (`DeviceChannel.connectedCount`, wired by the provider) and the
     * orders per status (the database, by default).
     */
    protected sources: {
      devicesConnected: () => Promise<number> | number
      orderCounts: () => Promise<Map<string, number>>
    }
  ) {
    const metrics = this
    new Gauge({
      name: 'vendora_devices_connected',
      help: 'Machines whose device is connected to this server process',
      registers: [this.registry],
      async collect() {
        this.set(await metrics.sources.devicesConnected())
      },
    })
    new Gauge({
      name: 'vendora_orders',
      help: 'Orders in the database, by status (cached for 5 s)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await metrics.orderCounts()
        this.reset()
        // Every status is reported, 0 included, so a graph never has gaps.
        for (const status of Object.values(OrderStatus))
          this.set({ status }, counts.get(status) ?? 0)
      },
    })
    collectDefaultMetrics({
      register: this.registry,
      eventLoopMonitoringPrecision: metricsConfig.eventLoopPrecisionMs,
    })
  }

  /**
   * Counts a settled vend and observes its latency.
   *
   * @param dispatchedAt when the command left for the device; null when it
   *   never did (no latency observed)
   * @param now when it settled (defaults to now)
   */
  vendSettled(
    result: VendMetricResult,
    dispatchedAt: DateTime | null,
    now: number = Date.now()
  ): void {
    this.vends.inc({ result })
    if (dispatchedAt)
      this.vendLatency.observe({ result }, Math.max(0, (now - dispatchedAt.toMillis()) / 1000))
  }

  /**
   * Counts a refund whose money moved (or was accepted by the provider).
   */
  refunded(to: RefundDestination): void {
    this.refunds.inc({ to })
  }

  /**
   * The registry's text exposition and its content type.
   * A failing source (the database is down) fails the scrape, which
   * Prometheus records as `up == 0`.
   */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }

  protected async orderCounts(): Promise<Map<string, number>> {
    const cached = this.#ordersCache
    if (cached && Date.now() - cached.at < ORDERS_CACHE_MS) return cached.counts
    const counts = await this.sources.orderCounts()
    this.#ordersCache = { at: Date.now(), counts }
    return counts
  }
}

/**
 * `SELECT status, COUNT(*) FROM orders GROUP BY status`: the default
 * `orderCounts` source.
 */
export async function orderCountsByStatus(): Promise<Map<string, number>> {
  const rows = await db.from('orders').select('status').count('* as total').groupBy('status')
  return new Map(rows.map((row) => [String(row.status), Number(row.total)]))
}
