import { DateTime } from 'luxon'

/**
 * When this process last ran the alert check (`CheckAlerts`), so the vend
 * sweeper, which ticks every few seconds, runs it at most every
 * `ALERT_CHECK_INTERVAL_MS`.
 *
 * A container singleton (providers/vending_provider.ts): one schedule per
 * process whichever `CheckAlerts` instance asks, and a test resets it
 * through the container (`app.container.make(AlertSchedule)`).
 */
export default class AlertSchedule {
  /**
   * Starts as if a check just ran: the first one comes an interval after
   * the server starts, once devices had time to reconnect (a restart marks
   * every machine offline, and their `last_seen_at` may be from before
   * the server went down).
   */
  #lastCheckAt: DateTime = DateTime.now()

  /**
   * When the last check ran (or the schedule started or was reset).
   */
  get lastCheckAt(): DateTime {
    return this.#lastCheckAt
  }

  /**
   * Claims the check due at `now`: when at least `intervalMs`
   * (milliseconds) have passed since the last one, `now` becomes the last
   * check and the caller runs it.
   *
   * @returns whether a check is due (and now claimed)
   */
  claim(now: DateTime, intervalMs: number): boolean {
    if (now.diff(this.#lastCheckAt).as('milliseconds') < intervalMs) return false
    this.#lastCheckAt = now
    return true
  }

  /**
   * Starts the schedule over as if a check had run at `at`.
   */
  reset(at: DateTime = DateTime.now()): void {
    this.#lastCheckAt = at
  }
}
