import type { Socket } from 'socket.io'
import { inject } from '@adonisjs/core'
import RecordDeviceLogs from '#actions/machines/record_device_logs'
import RecordDeviceSettings from '#actions/machines/record_device_settings'
import RecordRebootAck from '#actions/machines/record_reboot_ack'
import DeviceMonitor from '#services/device_monitor'
import { DeviceToServerEvent, type DeviceToServerEventName } from '#services/device_protocol'
import { configAppliedValidator, logLinesValidator, rebootAckValidator } from '#validators/device'
import { INVALID_PAYLOAD, toSocketError } from '#sockets/errors'

/**
 * The `/devices` handlers of the answers to remote operations
 * (firmware/PROTOCOL.md §13.2–13.3): `config_applied`, `reboot_ack` and
 * `log_lines`, each validated and handed to its action. They carry no ack
 * id; a malformed one is ignored as a whole and noted in the monitor, and
 * a failure is only logged. One handler group per file, as socket.io's
 * application-structure guide keeps them; `DeviceSockets` registers it
 * on every device connection.
 */
@inject()
export default class DeviceOperationSockets {
  constructor(
    protected monitor: DeviceMonitor,
    protected recordDeviceSettings: RecordDeviceSettings,
    protected recordRebootAck: RecordRebootAck,
    protected recordDeviceLogs: RecordDeviceLogs
  ) {}

  /**
   * Installs the three handlers on a device's socket.
   */
  register(socket: Socket, machineId: number, code: string): void {
    this.on(socket, machineId, code, DeviceToServerEvent.ConfigApplied, async (payload) => {
      const applied = await this.parse(machineId, DeviceToServerEvent.ConfigApplied, () =>
        configAppliedValidator.validate(payload)
      )
      if (applied) {
        await this.recordDeviceSettings.handle(machineId, {
          settings: applied.settings,
          rejected: applied.rejected ?? [],
        })
      }
    })
    this.on(socket, machineId, code, DeviceToServerEvent.RebootAck, async (payload) => {
      const ack = await this.parse(machineId, DeviceToServerEvent.RebootAck, () =>
        rebootAckValidator.validate(payload)
      )
      if (ack) await this.recordRebootAck.handle(machineId, ack)
    })
    this.on(socket, machineId, code, DeviceToServerEvent.LogLines, async (payload) => {
      const logs = await this.parse(machineId, DeviceToServerEvent.LogLines, () =>
        logLinesValidator.validate(payload)
      )
      if (logs) await this.recordDeviceLogs.handle(machineId, logs)
    })
  }

  protected on(
    socket: Socket,
    machineId: number,
    code: string,
    event: DeviceToServerEventName,
    handle: (payload: unknown) => Promise<void>
  ) {
    socket.on(event, (payload: unknown) => {
      handle(payload).catch((error) => toSocketError(error, { machine: code, machineId, event }))
    })
  }

  /**
   * The validated payload, or undefined (noted in the monitor as
   * `invalid_payload`) when it fails its validator.
   */
  protected async parse<T>(
    machineId: number,
    event: DeviceToServerEventName,
    validate: () => Promise<T>
  ): Promise<T | undefined> {
    try {
      return await validate()
    } catch {
      void this.monitor.record(machineId, 'in', event, { error: INVALID_PAYLOAD })
      return undefined
    }
  }
}
