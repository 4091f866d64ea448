import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import DeviceChannel from '#services/device_channel'
import { announceFleetChange, announceMachineStatus } from '#services/fleet_events'
import { dbTimestamp, lockRowForUpdate } from '#services/db_helpers'

/**
 * Puts a machine in maintenance (buys are refused, `BuyProduct`) or lifts
 * it. Lifting sets the status the connection calls for: `online` when the
 * machine's device is connected to this process, `offline` otherwise (the
 * device's presence keeps it right from there on). Pages watching the machine hear
 * the new status (`machine_status`).
 */
@inject()
export default class SetMaintenance {
  constructor(
    protected channel: DeviceChannel,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @returns the machine, reloaded
   */
  async handle(actor: User, machineId: number, maintenance: boolean): Promise<Machine> {
    // Asked before the row lock is taken: with several nodes the answer can
    // take a round trip through Redis.
    const connected = maintenance ? false : await this.channel.isConnected(machineId)
    const machine = await db.transaction(async (trx) => {
      const current = await lockRowForUpdate(Machine, trx, machineId)
      const before = current.status
      const status = maintenance
        ? MachineStatus.Maintenance
        : connected
          ? MachineStatus.Online
          : MachineStatus.Offline
      if (before === status) return current

      await trx
        .from('machines')
        .where('id', machineId)
        .update({ status, updated_at: dbTimestamp(trx) })
      await this.auditTrail.record(
        {
          actor,
          action: maintenance ? 'machine.maintenance_on' : 'machine.maintenance_off',
          subjectType: 'machine',
          subjectId: machineId,
          before: { status: before },
          after: { status },
        },
        trx
      )
      current.status = status
      return current
    })

    announceFleetChange()
    announceMachineStatus(machine)
    return machine
  }
}
