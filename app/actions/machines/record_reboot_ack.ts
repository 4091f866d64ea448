import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import DeviceMonitor from '#services/device_monitor'
import { DeviceToServerEvent, type RebootAck } from '#services/device_protocol'

/**
 * A device's `reboot_ack { ok, reason? }` (firmware/PROTOCOL.md §13.3,
 * validated by `rebootAckValidator`): recorded in the communication
 * monitor, where the machine's page shows the last answer to a reboot
 * (restarting, or refused and why). Nothing else changes: a device that
 * restarts goes offline and comes back through the usual connect.
 */
@inject()
export default class RecordRebootAck {
  constructor(protected monitor: DeviceMonitor) {}

  async handle(machineId: number, ack: RebootAck): Promise<void> {
    if (!ack.ok) logger.info({ machineId, reason: ack.reason }, 'device refused a reboot')
    await this.monitor.record(machineId, 'in', DeviceToServerEvent.RebootAck, {
      ok: ack.ok,
      ...(ack.reason ? { reason: ack.reason } : {}),
    })
  }
}
