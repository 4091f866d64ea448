import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Machine from '#models/machine'
import Slot from '#models/slot'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { isUniqueViolation } from '#services/db_helpers'
import { fieldError } from '#validators/planogram'

/**
 * Adds an empty slot after a machine's last one (number = highest + 1),
 * optionally with a product assigned. Two operators adding at once cannot
 * get one number: the unique (machine_id, number) index refuses the second,
 * which is then asked to submit again.
 */
@inject()
export default class AddSlot {
  constructor(protected auditTrail: AuditTrail) {}

  async handle(
    actor: User,
    machine: Machine,
    input: { productId: number | null; capacity: number }
  ): Promise<Slot> {
    let slot: Slot
    try {
      slot = await db.transaction(async (trx) => {
        const last = await trx
          .from('slots')
          .where('machine_id', machine.id)
          .max('number as number')
          .first()
        const number = Number(last?.number ?? 0) + 1
        const created = await Slot.create(
          {
            machineId: machine.id,
            number,
            productId: input.productId,
            quantity: 0,
            capacity: input.capacity,
          },
          { client: trx }
        )
        await this.auditTrail.record(
          {
            actor,
            action: 'slot.create',
            subjectType: 'slot',
            subjectId: created.id,
            after: {
              machine: machine.code,
              number,
              product_id: input.productId,
              capacity: input.capacity,
              quantity: 0,
            },
          },
          trx
        )
        return created
      })
    } catch (error) {
      if (isUniqueViolation(error))
        throw fieldError(
          'capacity',
          'Another slot was added at the same moment. Please submit again.'
        )
      throw error
    }
    announceFleetChange()
    return slot
  }
}
