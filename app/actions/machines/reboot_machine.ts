import { inject } from '@adonisjs/core'
import type Machine from '#models/machine'
import Order from '#models/order'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import RemoteOperations from '#services/remote_operations'
import { ServerToDeviceEvent } from '#services/device_protocol'
import DeviceOperationRefusedException from '#exceptions/device_operation_refused_exception'

/**
 * An operator restarts a machine's device: `reboot {}`
 * (firmware/PROTOCOL.md §13.3). Refused here while a vend is in flight (a
 * restart would cut it off); the device checks again and answers
 * `reboot_ack`, `{ ok: false, reason }` when it will not
 * (`RecordRebootAck`). After the restart its `status` reports
 * `reset_reason` `software`.
 */
@inject()
export default class RebootMachine {
  constructor(
    protected operations: RemoteOperations,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @throws DeviceOperationRefusedException `machine_offline` when no
   *   device is connected, `vend_in_flight` when an order of the machine
   *   awaits its result (`Order.hasVendInFlight`); nothing sent or audited
   */
  async handle(actor: User, machine: Machine): Promise<void> {
    await this.operations.ensureReachable(machine.id)
    if (await Order.hasVendInFlight(machine.id))
      throw DeviceOperationRefusedException.vendInFlight()
    await this.auditTrail.record({
      actor,
      action: 'machine.device_reboot',
      subjectType: 'machine',
      subjectId: machine.id,
      note: 'Asked the device to restart',
    })
    await this.operations.send(machine.id, ServerToDeviceEvent.Reboot, {})
  }
}
