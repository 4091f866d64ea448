import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { affectedRows, dbTimestamp, lockRowForUpdate } from '#services/db_helpers'
import { fieldError } from '#validators/planogram'

/**
 * What the slot form changes. `lowStockThreshold` and `pricePaise` left
 * undefined stay as they are. `pricePaise` is this machine's price for the
 * slot's product (integer paise > 0), or null for the product's own price;
 * it is its own input because who may change prices is a narrower
 * question than who may fill a slot, decided by the caller.
 */
export interface SlotChanges {
  productId: number | null
  capacity: number
  lowStockThreshold?: number
  pricePaise?: number | null
  /** units to fill to, null for the capacity; undefined leaves it */
  parLevel?: number | null
}

/**
 * Assigns a product to a slot (or none) and sets its capacity and, when
 * given, its low-stock alert threshold (units, 0 = no alert; see
 * `CheckAlerts`), its price override and its par level (units to fill
 * to, at most the capacity; null for the capacity).
 *
 * Rules: the capacity never drops below the units in the slot (checked by
 * the validator, then enforced by a conditional UPDATE in case a restock
 * raced it); a slot's product changes only while the slot is empty, since
 * the units in it are the old product and would be sold as the new one.
 * A new product clears the override (an airport price for crisps is wrong
 * for water) unless the same save sets a different one; an empty slot has
 * no price. Orders keep the price they were charged, so no change here
 * reaches an order already placed. Changed prices are in the audit row.
 */
@inject()
export default class UpdateSlot {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @throws E_VALIDATION_ERROR on `product_id` or `capacity`
   */
  async handle(actor: User, slotId: number, input: SlotChanges): Promise<Slot> {
    const slot = await db.transaction(async (trx) => {
      const current = await lockRowForUpdate(Slot, trx, slotId)
      if (current.productId !== input.productId && current.quantity > 0) {
        throw fieldError(
          'product_id',
          `Slot ${current.number} still holds ${current.quantity} units of its product. Set its stock to 0 before changing the product.`
        )
      }

      if (typeof input.parLevel === 'number' && input.parLevel > input.capacity) {
        throw fieldError(
          'par_level',
          `The par level can be at most the capacity (${input.capacity} units).`
        )
      }
      const pricePaise = nextPrice(current, input)
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
          price_paise: pricePaise,
          ...(input.parLevel === undefined ? {} : { par_level: input.parLevel }),
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
          // The threshold is in the row only when the form sent one, the
          // price override only when it changed.
          before: {
            product_id: current.productId,
            capacity: current.capacity,
            ...threshold(input, current.lowStockThreshold),
            ...(pricePaise === current.pricePaise ? {} : { price_paise: current.pricePaise }),
            ...parChange(input, current, current.parLevel),
          },
          after: {
            product_id: input.productId,
            capacity: input.capacity,
            ...threshold(input, input.lowStockThreshold),
            ...(pricePaise === current.pricePaise ? {} : { price_paise: pricePaise }),
            ...parChange(input, current, input.parLevel),
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

/**
 * The par level for the audit row, only when the save changed it: the
 * existing audit specs compare whole rows of saves that leave it alone.
 */
function parChange(
  input: { parLevel?: number | null },
  current: Slot,
  value: number | null | undefined
): { par_level?: number | null } {
  if (input.parLevel === undefined || input.parLevel === current.parLevel) return {}
  return { par_level: value ?? null }
}

function threshold(input: { lowStockThreshold?: number }, value: number | undefined) {
  return input.lowStockThreshold === undefined ? {} : { low_stock_threshold: value }
}

/**
 * The slot's override after this save (paise or null). A new product
 * drops the old override: a price the form merely carried over was set
 * for the old product, while one the operator changed in the same save is
 * meant for the new one.
 */
function nextPrice(current: Slot, input: SlotChanges): number | null {
  if (input.productId === null) return null
  const given = input.pricePaise
  if (current.productId !== input.productId) {
    return given !== undefined && given !== current.pricePaise ? given : null
  }
  return given === undefined ? current.pricePaise : given
}
