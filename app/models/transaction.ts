import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { TransactionKind } from '#enums/transaction_kind'
import User from '#models/user'
import Order from '#models/order'

/**
 * A ledger row: a signed `amountPaise` (credit > 0, debit < 0) and the
 * user's balance right after it. Rows are written only by `Ledger.post` and
 * never updated.
 */
export default class Transaction extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare kind: TransactionKind

  @column({ consume: (value) => Number(value) })
  declare amountPaise: number

  @column({ consume: (value) => Number(value) })
  declare balanceAfterPaise: number

  @column()
  declare orderId: number | null

  @column()
  declare externalReference: string | null

  @column()
  declare note: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Order)
  declare order: BelongsTo<typeof Order>
}
