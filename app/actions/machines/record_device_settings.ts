import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { dbTimestamp } from '#services/db_helpers'
import DeviceMonitor from '#services/device_monitor'
import { DeviceToServerEvent, type ConfigAppliedMessage } from '#services/device_protocol'

/**
 * A device's `config_applied { settings, rejected }` (firmware/PROTOCOL.md
 * §13.2, validated by `configAppliedValidator`): the settings it now runs
 * become `machines.device_settings` (with `device_settings_at` now), which
 * the machine's page shows and firmware rollouts read the quiet hours
 * from. The refused fields go to the communication monitor, where the
 * page shows them too. Taken whether or not the server asked: the
 * device's report is the truth about what runs.
 */
@inject()
export default class RecordDeviceSettings {
  constructor(protected monitor: DeviceMonitor) {}

  async handle(machineId: number, applied: ConfigAppliedMessage): Promise<void> {
    await db
      .from('machines')
      .where('id', machineId)
      .update({
        device_settings: JSON.stringify(applied.settings),
        device_settings_at: dbTimestamp(db.connection()),
      })
    void this.monitor.record(machineId, 'in', DeviceToServerEvent.ConfigApplied, {
      settings: applied.settings,
      rejected: applied.rejected,
    })
  }
}
