import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { affectedRows, dbTimestamp, lockRowForUpdate } from '#services/db_helpers'
import { fieldError } from '#validators/planogram'

/**
 * Assigns a product to a slot (or none) and sets its capacity and, when
 * given, its low-stock alert threshold (units, 0 = no alert; see
 * `CheckAlerts`).
 *
 * Rules: the capacity never drops below the units in the slot (checked by
 * the validator, then enforced by a conditional UPDATE in case a restock
 * raced it); a slot's product changes only while the slot is empty, since
 * the units in it are the old product and would be sold as the new one.
 */
@inject()
export default class UpdateSlot {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @throws E_VALIDATION_ERROR on `product_id` or `capacity`
   */
  async handle(
    actor: User,
    slotId: number,
    input: { productId: number | null; capacity: number; lowStockThreshold?: number }
  ): Promise<Slot> {
    const slot = await db.transaction(async (trx) => {
      const current = await lockRowForUpdate(Slot, trx, slotId)
      if (current.productId !== input.productId && current.quantity > 0) {
        throw fieldError(
          'product_id',
          `Slot ${current.number} still holds ${current.quantity} units of its product. Set its stock to 0 before changing the product.`
        )
      }

      const updated = await trx
        .from('slots')
        .where('id', slotId)
        .where('quantity', '<=', input.capacity)
        .update({
          product_id: input.productId,
          capacity: input.capacity,
          ...(input.lowStockThreshold === undefined
            ? {}
            : { low_stock_threshold: input.lowStockThreshold }),
          updated_at: dbTimestamp(trx),
        })
      if (affectedRows(updated) !== 1) {
        throw fieldError(
          'capacity',
          `The slot holds ${current.quantity} units now; the capacity cannot be below that.`
        )
      }

      await this.auditTrail.record(
        {
          actor,
          action: 'slot.update',
          subjectType: 'slot',
          subjectId: slotId,
          // The threshold is in the row only when the form sent one.
          before: {
            product_id: current.productId,
            capacity: current.capacity,
            ...threshold(input, current.lowStockThreshold),
          },
          after: {
            product_id: input.productId,
            capacity: input.capacity,
            ...threshold(input, input.lowStockThreshold),
          },
        },
        trx
      )
      return Slot.query({ client: trx }).where('id', slotId).firstOrFail()
    })
    announceFleetChange()
    return slot
  }
}

function threshold(input: { lowStockThreshold?: number }, value: number | undefined) {
  return input.lowStockThreshold === undefined ? {} : { low_stock_threshold: value }
}
