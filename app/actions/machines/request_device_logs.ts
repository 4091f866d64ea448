import { inject } from '@adonisjs/core'
import type Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import RemoteOperations from '#services/remote_operations'
import {
  DEFAULT_DEVICE_LOG_LINES,
  ServerToDeviceEvent,
  type LogsRequest,
} from '#services/device_protocol'

/**
 * An operator asks a machine's device for its recent log lines: `logs
 * { count }` (firmware/PROTOCOL.md §13.3). The device answers `log_lines`,
 * which `RecordDeviceLogs` keeps on the machine; nothing waits for it.
 */
@inject()
export default class RequestDeviceLogs {
  constructor(
    protected operations: RemoteOperations,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @param count lines wanted, 1 to `MAX_DEVICE_LOG_LINES` (the
   *   firmware's 20 when not given)
   * @throws DeviceOperationRefusedException `machine_offline` when no
   *   device is connected (nothing sent, nothing audited)
   */
  async handle(
    actor: User,
    machine: Machine,
    count: number = DEFAULT_DEVICE_LOG_LINES
  ): Promise<void> {
    await this.operations.ensureReachable(machine.id)
    const request: LogsRequest = { count }
    await this.auditTrail.record({
      actor,
      action: 'machine.device_logs',
      subjectType: 'machine',
      subjectId: machine.id,
      after: { ...request },
      note: `Asked the device for its last ${count} log lines`,
    })
    await this.operations.send(machine.id, ServerToDeviceEvent.Logs, { ...request })
  }
}
