import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import db from '@adonisjs/lucid/services/db'
import { affectedRows } from '#services/db_helpers'

/**
 * Which way a device event went: `in` from the device, `out` to it, `link`
 * for connection changes (connect, disconnect, refused auth).
 */
export type DeviceEventDirection = 'in' | 'out' | 'link'

/**
 * One protocol event of a machine, as the communication monitor shows it.
 * Written by `DeviceMonitor`; `prune()` (a sweep job) keeps the latest
 * `DeviceEvent.KEEP` per machine.
 */
export default class DeviceEvent extends BaseModel {
  /** How many events per machine survive pruning. */
  static readonly KEEP = 200

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare machineId: number

  @column()
  declare direction: DeviceEventDirection

  @column()
  declare event: string

  @column({
    prepare: (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare payload: Record<string, unknown> | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  /** The newest event id the last `prune()` of this process looked at. */
  static #prunedThrough = 0

  /**
   * Deletes each machine's events older than its latest `KEEP`. Run by the
   * vend sweeper, not on each event: a device event is on the vend path
   * (`vend`, `vend_result`), and pruning there cost two more statements
   * per event. Only machines with events since the last prune are looked
   * at (a primary-key range, not a scan of the whole table every sweep).
   * Between sweeps a machine may hold a few more; the monitor shows the
   * latest `KEEP` either way.
   *
   * @returns how many events were deleted
   */
  static async prune(): Promise<number> {
    const newest = await db.from('device_events').max('id as id').first()
    const through = Number(newest?.id ?? 0)
    // Ids went back (the table was emptied and its sequence restarted).
    if (through < DeviceEvent.#prunedThrough) DeviceEvent.#prunedThrough = 0
    const touched = await db
      .from('device_events')
      .whereBetween('id', [DeviceEvent.#prunedThrough + 1, through])
      .distinct('machine_id')
    let deleted = 0
    for (const { machine_id: machineId } of touched) {
      const oldestKept = await db
        .from('device_events')
        .where('machine_id', machineId)
        .orderBy('id', 'desc')
        .offset(DeviceEvent.KEEP - 1)
        .limit(1)
        .select('id')
        .first()
      if (!oldestKept) continue
      deleted += affectedRows(
        await db
          .from('device_events')
          .where('machine_id', machineId)
          .where('id', '<', oldestKept.id)
          .delete()
      )
    }
    DeviceEvent.#prunedThrough = through
    return deleted
  }
}
