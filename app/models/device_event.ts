import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * Which way a device event went: `in` from the device, `out` to it, `link`
 * for connection changes (connect, disconnect, refused auth).
 */
export type DeviceEventDirection = 'in' | 'out' | 'link'

/**
 * One protocol event of a machine, as the communication monitor shows it.
 * Written by `DeviceGateway`; only the latest `DeviceEvent.KEEP` per machine
 * are kept.
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
}
