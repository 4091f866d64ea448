import { inject } from '@adonisjs/core'
import type Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import RemoteOperations from '#services/remote_operations'
import { ServerToDeviceEvent, type ConfigMessage } from '#services/device_protocol'

/**
 * An operator changes a machine's device settings without a reflash: the
 * server sends `config` (firmware/PROTOCOL.md §13.2) with the fields
 * given, `{}` to read the running values back. The device applies each
 * field within its bounds and answers `config_applied`, which
 * `RecordDeviceSettings` stores; nothing here waits for it.
 */
@inject()
export default class PushDeviceSettings {
  constructor(
    protected operations: RemoteOperations,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @param settings the fields to set (validated by
   *   `deviceSettingsValidator`: integers within `DEVICE_SETTING_BOUNDS`)
   * @throws DeviceOperationRefusedException `machine_offline` when no
   *   device is connected (nothing sent, nothing audited)
   */
  async handle(actor: User, machine: Machine, settings: ConfigMessage): Promise<void> {
    await this.operations.ensureReachable(machine.id)
    const config = Object.fromEntries(
      Object.entries(settings).filter(([, value]) => value !== undefined && value !== null)
    ) as ConfigMessage
    const readBack = Object.keys(config).length === 0
    await this.auditTrail.record({
      actor,
      action: readBack ? 'machine.device_settings_read' : 'machine.device_settings_push',
      subjectType: 'machine',
      subjectId: machine.id,
      before: machine.deviceSettings ? { ...machine.deviceSettings } : null,
      after: { ...config },
      note: readBack
        ? 'Asked the device for its running settings'
        : 'Sent settings to the device; its answer says what runs',
    })
    await this.operations.send(machine.id, ServerToDeviceEvent.Config, config)
  }
}
