import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { dbTimestamp, lockRowForUpdate } from '#services/db_helpers'

/**
 * An operator turns the presence check of a machine on or off:
 * when on, a buy must quote the code on the machine's display (`TakeUnit`).
 * The change and its audit row (`machine.display_code_on` / `_off`) commit
 * together. The codes themselves rotate whatever the setting, so turning
 * it on takes effect at once.
 */
@inject()
export default class SetDisplayCodeRequirement {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @returns the machine, reloaded
   * @throws E_ROW_NOT_FOUND (404) for an unknown machine
   */
  async handle(actor: User, machineId: number, required: boolean): Promise<Machine> {
    const machine = await db.transaction(async (trx) => {
      const current = await lockRowForUpdate(Machine, trx, machineId)
      const before = current.requiresDisplayCode
      if (before === required) return current

      await trx
        .from('machines')
        .where('id', machineId)
        .update({ requires_display_code: required, updated_at: dbTimestamp(trx) })
      await this.auditTrail.record(
        {
          actor,
          action: required ? 'machine.display_code_on' : 'machine.display_code_off',
          subjectType: 'machine',
          subjectId: machineId,
          before: { requires_display_code: before },
          after: { requires_display_code: required },
        },
        trx
      )
      current.requiresDisplayCode = required
      return current
    })

    // Open machine pages re-fetch their live parts.
    announceFleetChange()
    return machine
  }
}
