import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import vendingConfig from '#config/vending'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import ExpirePaymentHolds from '#actions/payments/expire_payment_holds'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'

/**
 * One periodic job: a name for the logs and the work, which answers how
 * many things it changed.
 */
interface SweepJob {
  name: string
  run: () => Promise<number>
}

/**
 * The server's housekeeping, every `VEND_SWEEP_INTERVAL_MS` (default 5 s)
 * while it runs: fail and refund timed-out vends, give back units held by
 * pay-per-vend payments nobody paid, retry refunds to cards that
 * failed, and give online machines whose display code expired a new one
 * (issue #5, presence check). One sweep at a time; each job's failure is
 * logged and does not stop the others; the timer never keeps the process
 * alive on its own.
 */
@inject()
export default class VendSweeper {
  #timer?: NodeJS.Timeout
  #running?: Promise<unknown>

  constructor(
    protected failTimedOutVends: FailTimedOutVends,
    protected expirePaymentHolds: ExpirePaymentHolds,
    protected issueCardRefund: IssueCardRefund,
    protected rotateDisplayCodes: RotateDisplayCodes
  ) {}

  /**
   * The jobs of one sweep, in order.
   */
  protected jobs(): SweepJob[] {
    return [
      { name: 'timed-out vends refunded', run: () => this.failTimedOutVends.handle() },
      { name: 'payment holds expired', run: () => this.expirePaymentHolds.handle() },
      { name: 'card refunds retried', run: () => this.issueCardRefund.retryDue() },
      // Routine (each machine every DISPLAY_CODE_TTL_MS): answers 0 so it is not logged as a warning.
      { name: 'display codes rotated', run: () => this.rotateDisplayCodes.handle().then(() => 0) },
    ]
  }

  /**
   * Runs every job once (what each timer tick does).
   */
  async sweep(): Promise<void> {
    for (const job of this.jobs()) {
      try {
        const changed = await job.run()
        if (changed > 0) logger.warn({ changed }, job.name)
      } catch (error) {
        logger.error({ err: error }, `sweep job failed: ${job.name}`)
      }
    }
  }

  start(intervalMs: number = vendingConfig.sweepIntervalMs) {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = this.sweep().finally(() => (this.#running = undefined))
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
