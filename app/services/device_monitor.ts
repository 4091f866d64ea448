import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { DeviceEventDirection } from '#models/device_event'
import MachineWriteQueue from '#services/machine_write_queue'
import { insertDeviceEvents, type DeviceEventRow } from '#services/vend_statements'

/**
 * Events of one machine waiting for their turn in its write queue, and
 * the write that will insert them.
 */
interface OpenBatch {
  rows: DeviceEventRow[]
  written: Promise<void>
}

/**
 * The communication monitor: what crossed each machine's device link
 * (`device_events`), shown on the machine's admin page. The vend sweeper
 * prunes old events (`DeviceEvent.prune`).
 *
 * Events of a machine that arrive while its earlier write is still
 * waiting in the machine's write queue join that write: one INSERT for
 * all of them (`insertDeviceEvents`), in the order they came. A busy
 * machine (a `vend` and a `vend_result` per order) so writes its monitor
 * in a few statements instead of one per event; every event is still
 * recorded, in order, and never later than a write queued after it.
 * One per process (a container singleton, like the queue).
 */
@inject()
export default class DeviceMonitor {
  /** Each machine's batch queued and not started yet. */
  #open = new Map<number, OpenBatch>()

  constructor(protected writes: MachineWriteQueue) {}

  /**
   * Appends an event to the machine's monitor, after the machine's earlier
   * queued writes (so the monitor shows events in the order they
   * happened), then emits `machine:event { machineId, event }` (admin pages
   * hear it as `machine_event`). `direction`: `in` (device → server),
   * `out` (server → device) or `link` (connect, disconnect, refusals).
   * Never rejects: the monitor is a diagnostic and must not break the
   * protocol.
   *
   * @returns once the event is written (or failed to be, logged)
   */
  record(
    machineId: number,
    direction: DeviceEventDirection,
    event: string,
    payload: Record<string, unknown> | null = null
  ): Promise<void> {
    const row: DeviceEventRow = { machineId, direction, event, payload }
    const open = this.#open.get(machineId)
    if (open) {
      open.rows.push(row)
      return open.written
    }
    const rows = [row]
    const written = this.writes
      .enqueue(machineId, async () => {
        // From here on later events start a batch of their own.
        if (this.#open.get(machineId)?.rows === rows) this.#open.delete(machineId)
        await insertDeviceEvents(db.connection(), rows)
        for (const entry of rows)
          void emitter.emit('machine:event', { machineId, event: entry.event })
      })
      .catch((error) =>
        logger.warn(
          { err: error, machineId, events: rows.map((entry) => entry.event) },
          'device events not recorded'
        )
      )
    this.#open.set(machineId, { rows, written })
    return written
  }
}
