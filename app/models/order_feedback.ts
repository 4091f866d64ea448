import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Order from '#models/order'
import User from '#models/user'
import Machine from '#models/machine'
import Product from '#models/product'

/**
 * A shopper's rating (1 to 5) of one settled order, with an optional
 * comment (at most 500 characters), written once by `LeaveFeedback` and
 * never updated. `machineId` and `productId` are the order's; `vendFailed`
 * says whether the vend had failed when the shopper rated it.
 */
export default class OrderFeedback extends BaseModel {
  static table = 'order_feedback'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare orderId: number

  @column()
  declare userId: number

  @column()
  declare machineId: number

  @column()
  declare productId: number

  @column()
  declare rating: number

  @column()
  declare comment: string | null

  // SQLite answers booleans as 0/1.
  @column({ consume: (value) => Boolean(value) })
  declare vendFailed: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Order)
  declare order: BelongsTo<typeof Order>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>
}
