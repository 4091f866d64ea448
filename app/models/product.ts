import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Slot from '#models/slot'

/**
 * Something a machine sells. `pricePaise` is integer paise; an inactive
 * product stays in history but cannot be bought.
 */
export default class Product extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare pricePaise: number

  @column()
  declare imagePath: string | null

  @column({ consume: (value) => Boolean(value) })
  declare isRefundable: boolean

  @column({ consume: (value) => Boolean(value) })
  declare isActive: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Slot)
  declare slots: HasMany<typeof Slot>
}
