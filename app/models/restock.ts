import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Slot from '#models/slot'
import User from '#models/user'

/**
 * One stock change an operator made to a slot (`RestockSlot`): the units
 * before and after. Never updated.
 */
export default class Restock extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare slotId: number

  @column()
  declare userId: number | null

  @column()
  declare quantityBefore: number

  @column()
  declare quantityAfter: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Slot)
  declare slot: BelongsTo<typeof Slot>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
