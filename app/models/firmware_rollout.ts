import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { RolloutStatus, canTransitionRollout } from '#enums/rollout_status'
import InvalidRolloutTransitionException from '#exceptions/invalid_rollout_transition_exception'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import User from '#models/user'

/**
 * A firmware release offered to a set of machines in stages: stage 0 is
 * the canary, stage 1 the rest. `stage` is the stage being offered now;
 * `failureThreshold` is how many failed or rolled-back targets in one stage
 * (beyond `failuresAccepted`) halt the rollout. `selector` says, for
 * people, how the machines were chosen. Status moves: `ROLLOUT_TRANSITIONS` in `#enums/rollout_status`.
 */
export default class FirmwareRollout extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare firmwareReleaseId: number

  @column()
  declare status: RolloutStatus

  @column()
  declare selector: string

  @column()
  declare stage: number

  @column()
  declare failureThreshold: number

  @column()
  declare haltReason: string | null

  /**
   * Failures of the current stage an operator accepted by resuming the
   * halted rollout: the threshold counts failures beyond them. Back to 0
   * when the next stage starts.
   */
  @column()
  declare failuresAccepted: number

  /** The admin who started it (null from `node ace firmware:rollout`). */
  @column()
  declare createdBy: number | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => FirmwareRelease)
  declare release: BelongsTo<typeof FirmwareRelease>

  @belongsTo(() => User, { foreignKey: 'createdBy' })
  declare creator: BelongsTo<typeof User>

  @hasMany(() => FirmwareRolloutTarget, { foreignKey: 'rolloutId' })
  declare targets: HasMany<typeof FirmwareRolloutTarget>

  /**
   * Moves rollout `rolloutId` from one of `from` to `to` with one
   * conditional UPDATE, so of two racing callers (an operator's pause, the
   * halt on a failure) exactly one wins. Reaching `cancelled` or
   * `completed` stamps `finished_at`.
   *
   * @param set other columns to set with the move, e.g. `{ halt_reason }`
   * @returns true when this call made the move
   * @throws InvalidRolloutTransitionException for a move
   *   `ROLLOUT_TRANSITIONS` does not allow (a bug)
   */
  static async transition(
    client: QueryClientContract,
    rolloutId: number,
    from: RolloutStatus | readonly RolloutStatus[],
    to: RolloutStatus,
    set: Record<string, string | number | null> = {}
  ): Promise<boolean> {
    const sources = Array.isArray(from) ? [...from] : [from as RolloutStatus]
    for (const source of sources) {
      if (!canTransitionRollout(source, to)) {
        throw new InvalidRolloutTransitionException('rollout', source, to)
      }
    }
    const now = dbTimestamp(client)
    const changes: Record<string, string | number | null> = { ...set, status: to, updated_at: now }
    if (to === RolloutStatus.Cancelled || to === RolloutStatus.Completed) changes.finished_at = now
    const result = await client
      .from('firmware_rollouts')
      .where('id', rolloutId)
      .whereIn('status', sources)
      .update(changes)
    return affectedRows(result) === 1
  }
}
