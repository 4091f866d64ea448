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
 * Written by `DeviceGateway`; `prune()` (a sweep job) keeps the latest
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

  /**
   * Deletes each machine's events older than its latest `KEEP`. Run by the
   * vend sweeper, not on each event: a device event is on the vend path
   * (`vend`, `vend_result`), and pruning there cost two more statements
   * per event. Between sweeps a machine may hold a few more; the monitor
   * shows the latest `KEEP` either way.
   *
   * @returns how many events were deleted
   */
  static async prune(): Promise<number> {
    const crowded = await db
      .from('device_events')
      .select('machine_id')
      .groupBy('machine_id')
      .havingRaw('count(*) > ?', [DeviceEvent.KEEP])
    let deleted = 0
    for (const { machine_id: machineId } of crowded) {
      const oldestKept = await db
        .from('device_events')
        .where('machine_id', machineId)
        .orderBy('id', 'desc')
        .offset(DeviceEvent.KEEP - 1)
        .limit(1)
        .select('id')
        .first()
      if (!oldestKept) continue
      deleted += affectedRows(await db.from('device_events').where('machine_id', machineId).where('id', '<', oldestKept.id).delete())
    }
    return deleted
  }
}
