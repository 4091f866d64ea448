import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import { dbTimestamp } from '#services/db_helpers'
import { generateDeviceKey } from '#actions/machines/device_key'

/**
 * Replaces a machine's device key (a board was lost, or the key leaked).
 * The old key stops working at once: new connections are refused by the
 * hash check, and the live device socket is disconnected so the device
 * must authenticate again, with the new key.
 */
@inject()
export default class RotateDeviceKey {
  constructor(
    protected channel: DeviceChannel,
    protected monitor: DeviceMonitor,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @returns the new plain device key, to show once
   */
  async handle(actor: User, machine: Machine): Promise<string> {
    const deviceKey = generateDeviceKey()
    const deviceKeyHash = await hash.make(deviceKey)

    await db.transaction(async (trx) => {
      await trx
        .from('machines')
        .where('id', machine.id)
        .update({ device_key_hash: deviceKeyHash, updated_at: dbTimestamp(trx) })
      await this.auditTrail.record(
        {
          actor,
          action: 'machine.rotate_key',
          subjectType: 'machine',
          subjectId: machine.id,
          note: `Device key of ${machine.code} replaced; the old key no longer connects`,
        },
        trx
      )
    })

    // After commit: a device reconnecting now is checked against the new hash.
    // Recorded in the monitor as `kicked { reason }`; the device must
    // connect again, with the new key, wherever it was connected.
    await this.monitor.record(machine.id, 'link', 'kicked', { reason: 'key_rotated' })
    this.channel.disconnectMachine(machine.id)
    return deviceKey
  }
}
