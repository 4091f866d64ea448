import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { announceFleetChange } from '#services/fleet_events'
import { isUniqueViolation } from '#services/db_helpers'
import { generateDeviceKey } from '#actions/machines/device_key'
import { fieldError } from '#validators/planogram'

/**
 * A new machine from the panel's form (already validated).
 */
export interface NewMachine {
  code: string
  name: string
  location?: string
}

/**
 * Registers a machine, offline until its device connects, with a fresh
 * device key. Only the key's scrypt hash is stored: the returned key is
 * shown to the operator once and cannot be read back.
 */
@inject()
export default class CreateMachine {
  constructor(protected auditTrail: AuditTrail) {}

  /**
   * @returns the machine and its plain device key
   * @throws E_VALIDATION_ERROR on `code` when another machine took the code
   *   meanwhile (the unique index settles the race)
   */
  async handle(actor: User, input: NewMachine): Promise<{ machine: Machine; deviceKey: string }> {
    const deviceKey = generateDeviceKey()
    const deviceKeyHash = await hash.make(deviceKey)

    let machine: Machine
    try {
      machine = await db.transaction(async (trx) => {
        const created = await Machine.create(
          {
            code: input.code,
            name: input.name,
            location: input.location ?? null,
            deviceKeyHash,
            status: MachineStatus.Offline,
          },
          { client: trx }
        )
        await this.auditTrail.record(
          {
            actor,
            action: 'machine.create',
            subjectType: 'machine',
            subjectId: created.id,
            after: {
              code: created.code,
              name: created.name,
              location: created.location,
              status: created.status,
            },
            note: 'Device key issued',
          },
          trx
        )
        return created
      })
    } catch (error) {
      if (isUniqueViolation(error))
        throw fieldError('code', 'Another machine already has this code.')
      throw error
    }

    announceFleetChange()
    return { machine, deviceKey }
  }
}
