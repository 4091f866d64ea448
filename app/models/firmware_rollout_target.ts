import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { RolloutTargetState, TARGET_FINAL, canTransitionTarget } from '#enums/rollout_target_state'
import InvalidRolloutTransitionException from '#exceptions/invalid_rollout_transition_exception'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import FirmwareRollout from '#models/firmware_rollout'
import Machine from '#models/machine'

/**
 * One machine in a rollout: its `stage`, where its update stands
 * (`RolloutTargetState`), the firmware string it reported before the
 * offer and after it ended, the last download `percent`, why it failed or
 * rolled back (`reason`, the device's reason, firmware/PROTOCOL.md
 * §13.1), and how many times the `ota` was sent (`attempts`).
 */
export default class FirmwareRolloutTarget extends BaseModel {
  static table = 'firmware_rollout_targets'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare rolloutId: number

  @column()
  declare machineId: number

  @column()
  declare stage: number

  @column()
  declare state: RolloutTargetState

  @column()
  declare versionBefore: string | null

  @column()
  declare versionAfter: string | null

  @column()
  declare percent: number | null

  @column()
  declare reason: string | null

  @column()
  declare attempts: number

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => FirmwareRollout, { foreignKey: 'rolloutId' })
  declare rollout: BelongsTo<typeof FirmwareRollout>

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  /**
   * Whether machine `machineId` is installing an update now (a target of
   * it downloading, verifying or rebooting): the device starts no vend
   * meanwhile (firmware/PROTOCOL.md §13.1).
   */
  static async isInstalling(machineId: number, client?: QueryClientContract): Promise<boolean> {
    const query = client ? FirmwareRolloutTarget.query({ client }) : FirmwareRolloutTarget.query()
    const row = await query
      .where('machine_id', machineId)
      .whereIn('state', [
        RolloutTargetState.Downloading,
        RolloutTargetState.Verifying,
        RolloutTargetState.Rebooting,
      ])
      .select('id')
      .first()
    return row !== null
  }

  /**
   * Moves target `targetId` from one of `from` to `to` with one
   * conditional UPDATE (of two racing callers, e.g. a late `ota_progress`
   * and the offer's timeout, exactly one wins). A final state stamps
   * `finished_at`; `sent` stamps `sent_at`.
   *
   * @param set other columns to set, e.g. `{ reason, percent, version_after }`
   * @returns true when this call made the move
   * @throws InvalidRolloutTransitionException for a move
   *   `ROLLOUT_TARGET_TRANSITIONS` does not allow (a bug)
   */
  static async transition(
    client: QueryClientContract,
    targetId: number,
    from: RolloutTargetState | readonly RolloutTargetState[],
    to: RolloutTargetState,
    set: Record<string, string | number | null> = {}
  ): Promise<boolean> {
    const sources = Array.isArray(from) ? [...from] : [from as RolloutTargetState]
    for (const source of sources) {
      if (!canTransitionTarget(source, to)) {
        throw new InvalidRolloutTransitionException('target', source, to)
      }
    }
    const now = dbTimestamp(client)
    const changes: Record<string, string | number | null> = { ...set, state: to, updated_at: now }
    if (TARGET_FINAL.includes(to)) changes.finished_at = now
    if (to === RolloutTargetState.Sent) changes.sent_at = now
    const result = await client
      .from('firmware_rollout_targets')
      .where('id', targetId)
      .whereIn('state', sources)
      .update(changes)
    return affectedRows(result) === 1
  }
}
