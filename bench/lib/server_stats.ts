/**
 * The server's own view of itself, read from its Prometheus `/metrics`
 * (prom-client default metrics, app/services/metrics.ts): resident memory
 * and event-loop delay. Nothing here needs a debug switch in the app.
 */
export interface ServerStats {
  rss_mib: number
  heap_used_mib: number
  eventloop_lag_p50_ms: number
  eventloop_lag_p99_ms: number
  eventloop_lag_max_ms: number
  handles?: number
}

/**
 * Reads `/metrics` once. prom-client's event-loop histogram covers the
 * time since the previous scrape (it is reset on every collect), so call
 * it once before a phase to start a window and once after to read it.
 */
export async function serverStats(url: string): Promise<ServerStats> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text)
    return match ? Number(match[1]) : Number.NaN
  }
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10
  const ms = (seconds: number) => Math.round(seconds * 1000 * 10) / 10
  return {
    rss_mib: mib(value('process_resident_memory_bytes')),
    heap_used_mib: mib(value('nodejs_heap_size_used_bytes')),
    eventloop_lag_p50_ms: ms(value('nodejs_eventloop_lag_p50_seconds')),
    eventloop_lag_p99_ms: ms(value('nodejs_eventloop_lag_p99_seconds')),
    eventloop_lag_max_ms: ms(value('nodejs_eventloop_lag_max_seconds')),
    handles: value('nodejs_active_handles_total'),
  }
}
