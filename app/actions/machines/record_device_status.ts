import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { DeviceTelemetry } from '#validators/device'
import { dbTimestamp } from '#services/db_helpers'
import DeviceMonitor from '#services/device_monitor'
import MachinePresence from '#services/machine_presence'

/**
 * A device's `status` telemetry (validated by `deviceStatusValidator`):
 * stored on the machine (`machines.telemetry`, and `firmware_version` when
 * it names one), with `last_seen_at` now, then recorded in the monitor.
 */
@inject()
export default class RecordDeviceStatus {
  constructor(
    protected presence: MachinePresence,
    protected monitor: DeviceMonitor
  ) {}

  async handle(machineId: number, telemetry: DeviceTelemetry): Promise<void> {
    const changes: Record<string, unknown> = {
      telemetry: JSON.stringify(telemetry),
      last_seen_at: dbTimestamp(db.connection()),
    }
    if (telemetry.firmware) changes.firmware_version = telemetry.firmware
    await db.from('machines').where('id', machineId).update(changes)
    this.presence.noteSeen(machineId)
    void this.monitor.record(machineId, 'in', 'status', telemetry)
  }
}
