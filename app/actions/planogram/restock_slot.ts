import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Restock from '#models/restock'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { affectedRows, dbTimestamp, sqlExpression, lockRowForUpdate } from '#services/db_helpers'
import { fieldError } from '#validators/planogram'

/**
 * A restock: `set` the slot's units to a count, or `add` some.
 */
export interface RestockInput {
  mode: 'set' | 'add'
  quantity: number
}

/**
 * Where a refusal of `restockWithin` is shown (the form field, default
 * `quantity`) and the audit note (default "Set to n" / "Added n").
 */
export interface RestockOptions {
  field?: string
  note?: string
}

/**
 * Changes a slot's stock after the operator counted or filled it, and
 * records it in the restock history and the audit log, in one transaction.
 * It also clears the slot's check mark, if a failed vend left one.
 *
 * The result stays within 0 … capacity: the validator checks the form
 * against the slot as the page showed it, and a conditional UPDATE
 * (`WHERE quantity + n <= capacity`) enforces it against the row as it is,
 * since buys take units meanwhile.
 */
@inject()
export default class RestockSlot {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @throws E_VALIDATION_ERROR on `quantity` when the result would pass the
   *   capacity, or units are added to a slot without a product
   */
  async handle(actor: User, slotId: number, input: RestockInput): Promise<Restock> {
    const restock = await db.transaction((trx) => this.restockWithin(trx, actor, slotId, input))
    announceFleetChange()
    return restock
  }

  /**
   * The restock itself, inside the caller's transaction: locks the slot,
   * changes its units with the conditional UPDATE, writes the restock row
   * and the audit row. Shared by `handle` and `RecordRestockVisit` (a
   * whole visit in one transaction); the caller announces the change
   * after commit.
   *
   * @throws E_VALIDATION_ERROR on `options.field` (default `quantity`),
   *   as `handle`
   */
  async restockWithin(
    trx: TransactionClientContract,
    actor: User,
    slotId: number,
    input: RestockInput,
    options: RestockOptions = {}
  ): Promise<Restock> {
    const field = options.field ?? 'quantity'
    const current = await lockRowForUpdate(Slot, trx, slotId)
    const wanted = input.mode === 'set' ? input.quantity : current.quantity + input.quantity
    if (!current.productId && wanted > 0) {
      throw fieldError(field, 'Assign a product to this slot before stocking it.')
    }

    // The operator was at the slot: a check mark left by a failed vend
    // (`Slot.flagForCheck`) is done with.
    const query = trx.from('slots').where('id', slotId)
    const updated =
      input.mode === 'set'
        ? await query.where('capacity', '>=', input.quantity).update({
            quantity: input.quantity,
            ...Slot.CHECK_CLEARED,
            updated_at: dbTimestamp(trx),
          })
        : await query.whereRaw('quantity + ? <= capacity', [input.quantity]).update({
            quantity: sqlExpression(trx, 'quantity + ?', [input.quantity]),
            ...Slot.CHECK_CLEARED,
            updated_at: dbTimestamp(trx),
          })
    if (affectedRows(updated) !== 1) {
      throw fieldError(
        field,
        `That would make more than the ${current.capacity} units this slot holds.`
      )
    }

    const after = await Slot.query({ client: trx }).where('id', slotId).firstOrFail()
    const row = await Restock.create(
      {
        slotId,
        userId: actor.id,
        quantityBefore: current.quantity,
        quantityAfter: after.quantity,
      },
      { client: trx }
    )
    await this.auditTrail.record(
      {
        actor,
        action: 'slot.restock',
        subjectType: 'slot',
        subjectId: slotId,
        before: {
          quantity: current.quantity,
          ...(current.needsCheckReason ? { needs_check_reason: current.needsCheckReason } : {}),
        },
        after: { quantity: after.quantity },
        note:
          options.note ??
          (input.mode === 'set' ? `Set to ${input.quantity}` : `Added ${input.quantity}`),
      },
      trx
    )
    return row
  }
}
