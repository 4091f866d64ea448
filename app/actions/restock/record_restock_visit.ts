import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Machine from '#models/machine'
import type Restock from '#models/restock'
import Slot from '#models/slot'
import type User from '#models/user'
import RestockSlot from '#actions/planogram/restock_slot'
import { announceFleetChange } from '#services/fleet_events'
import { fieldError } from '#validators/planogram'

/**
 * A restock visit: the units the restocker loaded into each slot of one
 * machine, by slot id. Slots with 0 (or absent) are left alone.
 */
export type VisitLoads = Map<number, number>

/**
 * Saves a restock visit of `machine` as one restock record per slot that
 * was loaded (units added, `RestockSlot.restockWithin`, with its audit
 * row and the check mark cleared), all in ONE transaction: a slot the
 * units do not fit (stock never above capacity, checked against the row
 * under lock, since vends take units meanwhile) or a slot of another
 * machine refuses the whole visit and nothing is saved.
 */
@inject()
export default class RecordRestockVisit {
  constructor(protected restockSlot: RestockSlot) {}

  /**
   * @returns the restock records, in slot-number order (empty when
   *   nothing was loaded)
   * @throws E_VALIDATION_ERROR on `loaded.slot_<id>` for a slot not of
   *   this machine or units that would pass its capacity
   */
  async handle(actor: User, machine: Machine, loads: VisitLoads): Promise<Restock[]> {
    const wanted = [...loads].filter(([, units]) => units > 0)
    if (!wanted.length) return []
    const restocks = await db.transaction(async (trx) => {
      const slots = await Slot.query({ client: trx })
        .where('machine_id', machine.id)
        .whereIn(
          'id',
          wanted.map(([slotId]) => slotId)
        )
        .orderBy('number')
      const units = new Map(wanted)
      for (const [slotId] of wanted) {
        if (!slots.some((slot) => slot.id === slotId)) {
          throw fieldError(`loaded.slot_${slotId}`, `That slot is not in ${machine.code}.`)
        }
      }
      const rows: Restock[] = []
      for (const slot of slots) {
        const quantity = units.get(slot.id)!
        rows.push(
          await this.restockSlot.restockWithin(
            trx,
            actor,
            slot.id,
            { mode: 'add', quantity },
            {
              field: `loaded.slot_${slot.id}`,
              note: `Restock visit: loaded ${quantity}`,
            }
          )
        )
      }
      return rows
    })
    announceFleetChange()
    return restocks
  }
}
