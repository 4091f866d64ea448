import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { dbTimestamp, lockRowForUpdate } from '#services/db_helpers'

/**
 * An operator looked at a slot that a failed vend flagged for a check
 * (`Slot.flagForCheck`: a jam, a sensor fault, an interrupted or
 * unanswered vend) and found its count right: clears the mark, with an
 * audit row, in one transaction. A restock clears it too (`RestockSlot`);
 * this is for when nothing needs restocking.
 */
@inject()
export default class ClearSlotCheck {
  /**
   * @returns false when the slot had no mark (already cleared, e.g. by a
   *   restock or another operator), true when this call cleared it
   * @throws E_ROW_NOT_FOUND when there is no slot `slotId`
   */
  async handle(actor: User, slotId: number): Promise<boolean> {
    const cleared = await db.transaction(async (trx) => {
      const slot = await lockRowForUpdate(Slot, trx, slotId)
      if (!slot.needsCheckAt) return false
      await trx
        .from('slots')
        .where('id', slotId)
        .update({ ...Slot.CHECK_CLEARED, updated_at: dbTimestamp(trx) })
      await AuditTrail.record(
        {
          actor,
          action: 'slot.check_cleared',
          subjectType: 'slot',
          subjectId: slotId,
          before: {
            needs_check_reason: slot.needsCheckReason,
            needs_check_at: slot.needsCheckAt.toISO(),
            needs_check_order_id: slot.needsCheckOrderId,
          },
          after: { quantity: slot.quantity },
          note: `Slot ${slot.number} checked after ${slot.needsCheckReason ?? 'a failed vend'}`,
        },
        trx
      )
      return true
    })
    if (cleared) announceFleetChange()
    return cleared
  }
}
