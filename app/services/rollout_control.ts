import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { RolloutStatus, canTransitionRollout } from '#enums/rollout_status'
import FirmwareRollout from '#models/firmware_rollout'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceRolloutChange } from '#services/rollout_events'
import { ROLLOUT_SUBJECT } from '#services/rollout_plan'
import InvalidRolloutStateException from '#exceptions/invalid_rollout_state_exception'

/**
 * An operator's move of a rollout's status (pause, resume, cancel).
 */
export interface RolloutMove {
  from: RolloutStatus[]
  to: RolloutStatus
  /** The audit action, e.g. `firmware.rollout.pause`. */
  action: string
  /** The past participle for the refusal: "A halted rollout cannot be paused." */
  wanted: string
  /** Other columns to set with the move. */
  set?: Record<string, string | number | null>
  /** More work in the same transaction; what it returns goes into the audit row. */
  within?: (trx: TransactionClientContract) => Promise<Record<string, unknown>>
}

/**
 * The shared steps of `PauseRollout`, `ResumeRollout` and `CancelRollout`:
 * the conditional status move, the audit row and the announcement, in
 * one transaction.
 */
@inject()
export default class RolloutControl {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @returns the rollout, refreshed
   * @throws InvalidRolloutStateException (409) when its status (read
   *   afresh) is not one of `move.from`, e.g. it halted or completed
   *   meanwhile
   */
  async move(
    rollout: FirmwareRollout,
    actor: User | null,
    move: RolloutMove
  ): Promise<FirmwareRollout> {
    await db.transaction(async (trx) => {
      const current = await FirmwareRollout.query({ client: trx })
        .where('id', rollout.id)
        .firstOrFail()
      const from = current.status
      if (!move.from.includes(from) || !canTransitionRollout(from, move.to)) {
        throw new InvalidRolloutStateException(from, move.wanted)
      }
      if (!(await FirmwareRollout.transition(trx, rollout.id, from, move.to, move.set ?? {}))) {
        // Moved by someone else between the read and the update.
        throw new InvalidRolloutStateException()
      }
      const extra = move.within ? await move.within(trx) : {}
      await this.auditTrail.record(
        {
          actor,
          action: move.action,
          subjectType: ROLLOUT_SUBJECT,
          subjectId: rollout.id,
          before: { status: from },
          after: { status: move.to, ...(move.set ?? {}), ...extra },
        },
        trx
      )
      announceRolloutChange(rollout.id, trx)
    })
    return rollout.refresh()
  }
}
