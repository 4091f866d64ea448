import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Machine from '#models/machine'
import Product from '#models/product'

/**
 * One position of a machine's planogram: which product sits in slot
 * `number`, how many units are in it (`quantity`) and how many fit
 * (`capacity`). Unique per machine and number.
 */
export default class Slot extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare machineId: number

  @column()
  declare number: number

  @column()
  declare productId: number | null

  @column()
  declare quantity: number

  @column()
  declare capacity: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>
}
