import { inject } from '@adonisjs/core'
import { RolloutStatus } from '#enums/rollout_status'
import type FirmwareRollout from '#models/firmware_rollout'
import type User from '#models/user'
import RolloutControl from '#services/rollout_control'

/**
 * Pauses a running rollout: no new `ota` goes out; updates already on
 * their way finish and are recorded. `ResumeRollout` goes on.
 */
@inject()
export default class PauseRollout {
  constructor(protected control: RolloutControl) {}

  /**
   * @returns the rollout, refreshed
   * @throws InvalidRolloutStateException (409 `invalid_rollout_state`)
   *   unless it is running
   */
  handle(rollout: FirmwareRollout, actor: User | null): Promise<FirmwareRollout> {
    return this.control.move(rollout, actor, {
      from: [RolloutStatus.Running],
      to: RolloutStatus.Paused,
      action: 'firmware.rollout.pause',
      wanted: 'paused',
    })
  }
}
