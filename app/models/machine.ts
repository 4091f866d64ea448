import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { MachineStatus } from '#enums/machine_status'
import Slot from '#models/slot'

/**
 * A vending machine, known to its device by `code` and a device key whose
 * scrypt hash is `deviceKeyHash` (the key itself is shown once and never
 * stored).
 */
export default class Machine extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare location: string | null

  @column({ serializeAs: null })
  declare deviceKeyHash: string

  @column()
  declare status: MachineStatus

  @column.dateTime()
  declare lastSeenAt: DateTime | null

  @column()
  declare firmwareVersion: string | null

  /**
   * Last telemetry from the device's `status` event (rssi, free heap, ...).
   */
  @column({
    prepare: (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare telemetry: Record<string, unknown> | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Slot)
  declare slots: HasMany<typeof Slot>
}
