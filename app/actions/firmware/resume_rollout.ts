import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { RolloutStatus } from '#enums/rollout_status'
import { TARGET_FAILURES } from '#enums/rollout_target_state'
import type FirmwareRollout from '#models/firmware_rollout'
import type User from '#models/user'
import RolloutControl from '#services/rollout_control'
import RolloutDispatcher from '#services/rollout_dispatcher'

/**
 * Resumes a paused or halted rollout: it runs again and its pending
 * targets are offered. A halted rollout's operator looked at the
 * failures and chose to go on, so resuming one accepts the stage's
 * failures so far (`failures_accepted`): the threshold counts from there,
 * and a new stage starts from none.
 */
@inject()
export default class ResumeRollout {
  constructor(
    protected control: RolloutControl,
    protected dispatcher: RolloutDispatcher
  ) {}

  /**
   * @returns the rollout, refreshed
   * @throws InvalidRolloutStateException (409 `invalid_rollout_state`)
   *   unless it is paused or halted
   */
  async handle(rollout: FirmwareRollout, actor: User | null): Promise<FirmwareRollout> {
    let set: Record<string, string | number | null> = { halt_reason: null }
    if (rollout.status === RolloutStatus.Halted) {
      const row = await db
        .from('firmware_rollout_targets')
        .where('rollout_id', rollout.id)
        .where('stage', rollout.stage)
        .whereIn('state', [...TARGET_FAILURES])
        .count('* as total')
        .first()
      const failures = Number(row?.total ?? 0)
      set = { ...set, failures_accepted: failures }
    }
    const resumed = await this.control.move(rollout, actor, {
      from: [RolloutStatus.Paused, RolloutStatus.Halted],
      to: RolloutStatus.Running,
      action: 'firmware.rollout.resume',
      wanted: 'resumed',
      set,
    })
    await this.dispatcher.dispatchRollout(resumed.id)
    return resumed.refresh()
  }
}
