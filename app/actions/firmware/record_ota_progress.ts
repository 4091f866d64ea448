import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { ACTIVE_ROLLOUT } from '#enums/rollout_status'
import { RolloutTargetState, TARGET_IN_FLIGHT } from '#enums/rollout_target_state'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import { deviceFirmwareVersion, type OtaProgressMessage } from '#services/device_protocol'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import { announceRolloutChange } from '#services/rollout_events'
import { progressMove } from '#services/rollout_plan'
import RolloutDispatcher from '#services/rollout_dispatcher'

/**
 * What a progress frame did: `moved` (the target changed state),
 * `percent` (only its download progress rose), `ignored` (a duplicate or
 * stale frame) or `no_target` (no update of that version is on its way to
 * the machine).
 */
export type OtaProgressOutcome = 'moved' | 'percent' | 'ignored' | 'no_target'

/**
 * The machine's update on its way, as a progress frame finds it: a target
 * in flight (whatever its rollout's status: a cancelled rollout's updates
 * still finish), or a pending one of an active rollout that was offered
 * before (the answer to an offer that timed out). With `version`, only a
 * target of that device firmware string.
 */
async function findTarget(
  machineId: number,
  version: string | undefined
): Promise<{ target: FirmwareRolloutTarget; version: string } | null> {
  const rows = await FirmwareRolloutTarget.query()
    .join('firmware_rollouts', 'firmware_rollouts.id', 'firmware_rollout_targets.rollout_id')
    .join('firmware_releases', 'firmware_releases.id', 'firmware_rollouts.firmware_release_id')
    .where('firmware_rollout_targets.machine_id', machineId)
    .where((query) => {
      query.whereIn('firmware_rollout_targets.state', [...TARGET_IN_FLIGHT]).orWhere((q) =>
        q
          .where('firmware_rollout_targets.state', RolloutTargetState.Pending)
          .where('firmware_rollout_targets.attempts', '>', 0)
          .whereIn('firmware_rollouts.status', [...ACTIVE_ROLLOUT])
      )
    })
    .select('firmware_rollout_targets.*')
    .select('firmware_releases.version as release_version')
    .orderBy('firmware_rollout_targets.id', 'desc')
  const found = rows
    .map((target) => ({ target, version: deviceFirmwareVersion(target.$extras.release_version) }))
    // In flight first: a pending one only waits for its next offer.
    .sort(
      (a, b) =>
        Number(a.target.state === RolloutTargetState.Pending) -
        Number(b.target.state === RolloutTargetState.Pending)
    )
  if (version === undefined) return found[0] ?? null
  return found.find((candidate) => candidate.version === version) ?? null
}

/**
 * Records a device's `ota_progress` (firmware/PROTOCOL.md §13.1) on the
 * machine's update and moves its rollout along.
 *
 * The frame moves the target as `progressMove` says: forwards only
 * (duplicates and stale frames are ignored), `percent` rising while it
 * downloads; a passing refusal (`vend_in_progress`, `quiet_hours`,
 * `update_in_progress`) sends it back to pending to be offered again;
 * `already_installed` counts as confirmed. A final state records
 * `version_after`: the firmware the machine reported last (the device
 * sends `status` with its new firmware before `confirmed`), or for
 * `already_installed` the release's. Then the rollout is settled (halt at
 * the threshold, next stage, completion) and ready targets offered.
 */
@inject()
export default class RecordOtaProgress {
  constructor(protected dispatcher: RolloutDispatcher) {}

  /**
   * @param frame the validated frame (`otaProgressValidator`); `version`
   *   must be the offered firmware string, and may be missing only in a
   *   `failed` frame (the device found no usable version in the `ota`)
   */
  async handle(machineId: number, frame: OtaProgressMessage): Promise<OtaProgressOutcome> {
    if (frame.version === undefined && frame.state !== 'failed') return 'ignored'
    // A move lost to a racing one (the tick expiring the offer, an
    // operator's cancel) is judged again against the state that won.
    for (let round = 0; round < 3; round++) {
      const outcome = await this.apply(machineId, frame)
      if (outcome !== 'raced') return outcome
    }
    return 'ignored'
  }

  protected async apply(
    machineId: number,
    frame: OtaProgressMessage
  ): Promise<OtaProgressOutcome | 'raced'> {
    const found = await findTarget(machineId, frame.version)
    if (!found) return 'no_target'
    const { target } = found

    const move = progressMove(target.state, target.percent, frame)
    if (!move) return 'ignored'
    if (move.kind === 'percent') {
      const raised = await db
        .from('firmware_rollout_targets')
        .where('id', target.id)
        .where('state', RolloutTargetState.Downloading)
        .where((query) => query.whereNull('percent').orWhere('percent', '<', move.percent))
        .update({ percent: move.percent, updated_at: dbTimestamp(db.connection()) })
      if (affectedRows(raised) !== 1) return 'raced'
      announceRolloutChange(target.rolloutId)
      return 'percent'
    }

    // A late answer to an offer that timed out: it is on its way after all.
    if (target.state === RolloutTargetState.Pending) {
      const resent = await FirmwareRolloutTarget.transition(
        db.connection(),
        target.id,
        RolloutTargetState.Pending,
        RolloutTargetState.Sent
      )
      if (!resent) return 'raced'
      target.state = RolloutTargetState.Sent
    }

    let versionAfter: string | null = null
    if (move.versionAfter === 'target') {
      versionAfter = found.version
    } else if (move.versionAfter === 'reported') {
      const machine = await Machine.find(machineId)
      versionAfter = machine?.firmwareVersion ?? null
    }
    const set: Record<string, string | number | null> = {}
    if (move.percent !== undefined) set.percent = move.percent
    if (move.reason !== undefined) set.reason = move.reason
    if (!(await this.dispatcher.finishTarget(target, move.to, set, versionAfter))) return 'raced'
    logger.info(
      { machineId, rollout: target.rolloutId, from: target.state, to: move.to, reason: move.reason },
      'firmware update progress'
    )
    await this.dispatcher.dispatchRollout(target.rolloutId)
    return 'moved'
  }

  /**
   * A `status` reported firmware `firmware`: if it is the version of the
   * machine's update in flight, the new image runs and joined the server,
   * so the update is confirmed even when its `confirmed` frame was lost.
   */
  async noteFirmware(machineId: number, firmware: string | undefined): Promise<boolean> {
    if (!firmware) return false
    const found = await findTarget(machineId, firmware)
    if (!found || !TARGET_IN_FLIGHT.includes(found.target.state)) return false
    // Unless it ran this firmware before the offer (the device then answers `already_installed`).
    if (found.target.versionBefore === firmware) return false
    const moved = await this.dispatcher.finishTarget(
      found.target,
      RolloutTargetState.Confirmed,
      { percent: 100 },
      firmware
    )
    if (moved) await this.dispatcher.dispatchRollout(found.target.rolloutId)
    return moved
  }
}
