/**
 * The timer both periodic jobs share: `start(intervalMs)` runs `run()`
 * every interval, skipping a beat while the previous run is still going
 * (a slow database must not pile runs up); `stop()` clears the timer and
 * waits for a run in progress, so a shutdown never cuts one off. The timer
 * never keeps the process alive on its own.
 *
 * Subclasses put their work, usually under the cluster lock, in `run()`,
 * and may read `intervalMs` to size the lock.
 */
export default abstract class IntervalJob {
  #timer?: NodeJS.Timeout
  #running?: Promise<unknown>

  constructor(protected intervalMs: number) {}

  /** One run; expected to log its own failures rather than throw. */
  protected abstract run(): Promise<unknown>

  /** Starts the timer (once; later calls do nothing while it runs). Milliseconds. */
  start(intervalMs: number = this.intervalMs) {
    if (this.#timer) return
    this.intervalMs = intervalMs
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = this.run().finally(() => (this.#running = undefined))
    }, intervalMs)
    this.#timer.unref()
  }

  /** Stops the timer and waits for a run in progress. */
  async stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running
  }
}
