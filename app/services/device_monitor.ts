import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import DeviceEvent, { type DeviceEventDirection } from '#models/device_event'
import MachineWriteQueue from '#services/machine_write_queue'

/**
 * The communication monitor: what crossed each machine's device link
 * (`device_events`), shown on the machine's admin page. The vend sweeper
 * prunes old events (`DeviceEvent.prune`).
 */
@inject()
export default class DeviceMonitor {
  constructor(protected writes: MachineWriteQueue) {}

  /**
   * Appends an event to the machine's monitor, after the machine's earlier
   * queued writes (so the monitor shows events in the order they
   * happened), then emits `machine:event { machineId, event }` (admin pages
   * hear it as `machine_event`). `direction`: `in` (device → server),
   * `out` (server → device) or `link` (connect, disconnect, refusals).
   * Never rejects: the monitor is a diagnostic and must not break the
   * protocol.
   */
  record(
    machineId: number,
    direction: DeviceEventDirection,
    event: string,
    payload: Record<string, unknown> | null = null
  ): Promise<void> {
    return this.writes
      .enqueue(machineId, async () => {
        await DeviceEvent.create({ machineId, direction, event, payload })
        void emitter.emit('machine:event', { machineId, event })
      })
      .catch((error) => logger.warn({ err: error, machineId, event }, 'device event not recorded'))
  }
}
