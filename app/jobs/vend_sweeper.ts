import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import vendingConfig from '#config/vending'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import ResendUnansweredVends from '#actions/vends/resend_unanswered_vends'
import ExpirePaymentHolds from '#actions/payments/expire_payment_holds'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import RotateDisplayCodes from '#actions/machines/rotate_display_codes'
import CheckAlerts from '#actions/alerts/check_alerts'
import ClusterLock from '#services/cluster_lock'
import MachinePresence from '#services/machine_presence'
import DeviceEvent from '#models/device_event'
import IntervalJob from '#jobs/interval_job'

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
 * while it runs: fail and refund timed-out vends, send unanswered vend
 * commands again, give back units held by pay-per-vend payments nobody
 * paid, retry refunds to cards that failed, give online machines whose
 * display code expired a new one (the presence check: a code must be read
 * off the display, not remembered from an earlier visit), and prune the
 * communication monitor. One sweep at a time; each job's failure is logged
 * and does not stop the others; the timer never keeps the process alive on
 * its own.
 *
 * With several nodes (`REDIS_URL`) every node's timer ticks, but
 * a sweep runs under the cluster lock `vend-sweeper` (ClusterLock), held
 * for the sweep interval: one node sweeps per interval, never two at once,
 * and a neighbour takes over within an interval when that node goes away.
 * Jobs added to the list inherit the lock.
 */
@inject()
export default class VendSweeper extends IntervalJob {
  constructor(
    protected failTimedOutVends: FailTimedOutVends,
    protected resendUnansweredVends: ResendUnansweredVends,
    protected expirePaymentHolds: ExpirePaymentHolds,
    protected issueCardRefund: IssueCardRefund,
    protected rotateDisplayCodes: RotateDisplayCodes,
    protected clusterLock: ClusterLock,
    protected presence: MachinePresence,
    protected checkAlerts: CheckAlerts
  ) {
    super(vendingConfig.sweepIntervalMs)
  }

  protected run() {
    return this.sweep()
  }

  /**
   * The jobs of one sweep, in order.
   */
  protected jobs(): SweepJob[] {
    return [
      { name: 'timed-out vends refunded', run: () => this.failTimedOutVends.handle() },
      // After the timeouts: an order refunded just now is not sent again. Logged by the job itself.
      {
        name: 'unanswered vend commands sent again',
        run: () => this.resendUnansweredVends.handle().then(() => 0),
      },
      { name: 'payment holds expired', run: () => this.expirePaymentHolds.handle() },
      { name: 'card refunds retried', run: () => this.issueCardRefund.retryDue() },
      // Routine (each machine every DISPLAY_CODE_TTL_MS): answers 0 so it is not logged as a warning.
      { name: 'display codes rotated', run: () => this.rotateDisplayCodes.handle().then(() => 0) },
      {
        name: 'machines of departed nodes set offline',
        run: () => this.presence.releaseDepartedNodes(),
      },
      // Routine, like the display codes: the monitor's old events.
      { name: 'device events pruned', run: () => DeviceEvent.prune().then(() => 0) },
      // Low-stock, jam and offline email alerts: CheckAlerts skips all but one sweep per
      // ALERT_CHECK_INTERVAL_MS, since its queries need not run every few seconds.
      { name: 'alert episodes opened, closed or mailed', run: () => this.checkAlerts.handle() },
    ]
  }

  /**
   * Runs every job once (what each timer tick does), unless another node
   * holds the sweep lock. Logs `sweep ran { node, started_at, finished_at }`
   * (debug; the multi-node test counts these). A lock that cannot be asked
   * for (Redis down) skips the sweep, logged.
   *
   * @returns whether this node swept
   */
  async sweep(): Promise<boolean> {
    try {
      let startedAt = ''
      let finishedAt = ''
      const outcome = await this.clusterLock.run(
        'vend-sweeper',
        async () => {
          startedAt = new Date().toISOString()
          await this.runJobs()
          // Before the lock is released: the moment another node may start.
          finishedAt = new Date().toISOString()
        },
        {
          ttlMs: Math.max(30_000, this.intervalMs * 3),
          // A little under the interval, so the next tick of the node that swept finds it free.
          holdMs: Math.floor(this.intervalMs * 0.9),
        }
      )
      if (outcome.ran) {
        logger.debug(
          { node: this.clusterLock.nodeId, started_at: startedAt, finished_at: finishedAt },
          'sweep ran'
        )
      }
      return outcome.ran
    } catch (error) {
      logger.error({ err: error }, 'sweep skipped: the cluster lock is unavailable')
      return false
    }
  }

  protected async runJobs(): Promise<void> {
    for (const job of this.jobs()) {
      try {
        const changed = await job.run()
        if (changed > 0) logger.warn({ changed }, job.name)
      } catch (error) {
        logger.error({ err: error }, `sweep job failed: ${job.name}`)
      }
    }
  }
}
