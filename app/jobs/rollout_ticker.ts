import logger from '@adonisjs/core/services/logger'
import firmwareConfig from '#config/firmware'
import ClusterLock from '#services/cluster_lock'
import RolloutDispatcher from '#services/rollout_dispatcher'
import IntervalJob from '#jobs/interval_job'

/**
 * The firmware rollouts' clock: every `ROLLOUT_TICK_MS` (default 5 s)
 * `RolloutDispatcher.tick` gives up on stale offers, settles running
 * rollouts and offers ready targets. This is how the server notices quiet
 * hours ending, machines becoming idle without an event, and rollouts
 * created by another process (`node ace firmware:rollout`).
 *
 * Like the vend sweeper, with several nodes (`REDIS_URL`) each tick runs
 * under the cluster lock `firmware-rollouts`, held for most of an
 * interval: one node ticks per interval. (Offers made on events, a
 * machine's hello or a vend's end, run on the node that heard it; the
 * conditional updates keep them to one per target.) The timer is
 * `IntervalJob`'s.
 */
export default class RolloutTicker extends IntervalJob {
  constructor(
    protected dispatcher: RolloutDispatcher,
    protected clusterLock: ClusterLock
  ) {
    super(firmwareConfig.rollout.tickMs)
  }

  protected run() {
    return this.tick()
  }

  /**
   * One tick, unless another node holds the lock. Failures are logged.
   *
   * @returns whether this node ticked
   */
  async tick(): Promise<boolean> {
    try {
      const outcome = await this.clusterLock.run(
        'firmware-rollouts',
        async () => {
          const changed = await this.dispatcher.tick()
          if (changed > 0) logger.info({ changed }, 'firmware rollout targets offered or expired')
        },
        {
          ttlMs: Math.max(30_000, this.intervalMs * 3),
          holdMs: Math.floor(this.intervalMs * 0.9),
        }
      )
      return outcome.ran
    } catch (error) {
      logger.error({ err: error }, 'firmware rollout tick failed')
      return false
    }
  }
}
