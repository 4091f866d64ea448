import { inject } from '@adonisjs/core'
import { MachineStatus } from '#enums/machine_status'
import Machine from '#models/machine'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import type { ServerToDeviceEventName } from '#services/device_protocol'
import DeviceOperationRefusedException from '#exceptions/device_operation_refused_exception'

/**
 * What the remote operations (`config`, `logs`, `reboot`;
 * firmware/PROTOCOL.md §13.2–13.3) share: the check that a device is there
 * to hear them, and the send itself. The answers come later as device
 * events (`config_applied`, `log_lines`, `reboot_ack`); nothing waits for
 * them, so a firmware that ignores these commands breaks nothing.
 */
@inject()
export default class RemoteOperations {
  constructor(
    protected channel: DeviceChannel,
    protected monitor: DeviceMonitor
  ) {}

  /**
   * Passes when the machine's device is connected (on any node) and the
   * machine is not written offline; a machine in maintenance passes (that
   * is when an operator reboots or retunes one).
   *
   * @throws DeviceOperationRefusedException `machine_offline` otherwise
   */
  async ensureReachable(machineId: number): Promise<void> {
    const machine = await Machine.query().where('id', machineId).select('status').firstOrFail()
    if (machine.status === MachineStatus.Offline || !(await this.channel.isConnected(machineId))) {
      throw DeviceOperationRefusedException.offline()
    }
  }

  /**
   * Sends `event` with `payload` to the machine's greeted device (room
   * `display:<id>`: these commands come only after `hello`), through the
   * adapter when another node holds the socket, and records it in the
   * communication monitor.
   *
   * @throws DeviceOperationRefusedException `machine_offline` when no
   *   socket.io server runs in this process
   */
  async send(
    machineId: number,
    event: ServerToDeviceEventName,
    payload: Record<string, unknown>
  ): Promise<void> {
    if (!this.channel.attached) throw DeviceOperationRefusedException.offline()
    // Recorded first, so the monitor lists the command before its answer.
    await this.monitor.record(machineId, 'out', event, payload)
    this.channel.sendToGreeted(machineId, event, payload)
  }
}
