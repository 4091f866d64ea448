import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import type FirmwareRollout from '#models/firmware_rollout'
import type User from '#models/user'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import RolloutControl from '#services/rollout_control'

/**
 * Cancels a running, paused or halted rollout: its targets not offered yet
 * (`pending`) are cancelled in the same transaction; updates already on
 * their way finish and are still recorded (a device mid-download cannot be
 * called back, and its outcome matters).
 */
@inject()
export default class CancelRollout {
  constructor(protected control: RolloutControl) {}

  /**
   * @returns the rollout, refreshed
   * @throws InvalidRolloutStateException (409 `invalid_rollout_state`)
   *   when it is already cancelled or completed
   */
  handle(rollout: FirmwareRollout, actor: User | null): Promise<FirmwareRollout> {
    return this.control.move(rollout, actor, {
      from: [RolloutStatus.Running, RolloutStatus.Paused, RolloutStatus.Halted],
      to: RolloutStatus.Cancelled,
      action: 'firmware.rollout.cancel',
      wanted: 'cancelled',
      within: async (trx) => {
        const now = dbTimestamp(trx, DateTime.now())
        // The same move as FirmwareRolloutTarget.transition, for every
        // pending target at once (pending → cancelled is allowed).
        const cancelled = await trx
          .from('firmware_rollout_targets')
          .where('rollout_id', rollout.id)
          .where('state', RolloutTargetState.Pending)
          .update({ state: RolloutTargetState.Cancelled, finished_at: now, updated_at: now })
        return { targets_cancelled: affectedRows(cancelled) }
      },
    })
  }
}
