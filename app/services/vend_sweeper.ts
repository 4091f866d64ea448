import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import vendingConfig from '#config/vending'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'

/**
 * Runs `FailTimedOutVends` every `VEND_SWEEP_INTERVAL_MS` (default 5 s)
 * while the server runs. One sweep at a time; the timer never keeps the
 * process alive on its own.
 */
@inject()
export default class VendSweeper {
  #timer?: NodeJS.Timeout
  #running?: Promise<unknown>

  constructor(protected failTimedOutVends: FailTimedOutVends) {}

  start(intervalMs: number = vendingConfig.sweepIntervalMs) {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = this.failTimedOutVends
        .handle()
        .then((refunded) => refunded > 0 && logger.warn({ refunded }, 'refunded timed-out vends'))
        .catch((error) => logger.error({ err: error }, 'vend sweep failed'))
        .finally(() => (this.#running = undefined))
    }, intervalMs)
    this.#timer.unref()
  }

  /**
   * Stops the timer and waits for a sweep in progress.
   */
  async stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running
  }
}
