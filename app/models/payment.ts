import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasOne } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasOne } from '@adonisjs/lucid/types/relations'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { lockRowForUpdate } from '#services/db_helpers'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import { CardRefundStatus } from '#enums/card_refund_status'
import User from '#models/user'
import Machine from '#models/machine'
import Product from '#models/product'
import Slot from '#models/slot'
import Order from '#models/order'

/**
 * Money taken through the payment provider (`provider`: `razorpay` or
 * `demo`): a wallet top-up or one item paid per vend. `amountPaise` is
 * integer paise; `providerOrderId` / `providerPaymentId` are the provider's
 * ids (Razorpay `order_...` / `pay_...`), unique.
 *
 * For pay per vend, `stockHeld` says one unit of `slotId` is reserved for
 * this payment until `holdExpiresAt`; the unit becomes the order's when the
 * payment is captured, and goes back to the slot when it fails or expires.
 */
export default class Payment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare purpose: PaymentPurpose

  @column()
  declare provider: string

  @column({ consume: (value) => Number(value) })
  declare amountPaise: number

  @column()
  declare currency: string

  @column()
  declare status: PaymentStatus

  @column()
  declare providerOrderId: string | null

  @column()
  declare providerPaymentId: string | null

  @column()
  declare idempotencyKey: string | null

  @column()
  declare machineId: number | null

  @column()
  declare slotId: number | null

  @column()
  declare productId: number | null

  @column({ consume: (value) => Boolean(value) })
  declare stockHeld: boolean

  @column.dateTime()
  declare holdExpiresAt: DateTime | null

  /** Pay per vend: the client address it was opened from (open holds are capped per address). */
  @column()
  declare clientIp: string | null

  @column()
  declare failureReason: string | null

  @column()
  declare refundStatus: CardRefundStatus | null

  @column()
  declare providerRefundId: string | null

  @column()
  declare refundError: string | null

  @column.dateTime()
  declare paidAt: DateTime | null

  @column.dateTime()
  declare refundedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>

  @belongsTo(() => Product)
  declare product: BelongsTo<typeof Product>

  @belongsTo(() => Slot)
  declare slot: BelongsTo<typeof Slot>

  /**
   * The order a captured pay-per-vend payment became.
   */
  @hasOne(() => Order)
  declare order: HasOne<typeof Order>

  /**
   * Reads a payment inside a transaction, row-locked on PostgreSQL (SQLite
   * serializes writers already).
   *
   * @throws E_ROW_NOT_FOUND when there is no such payment
   */
  static lockForUpdate(trx: TransactionClientContract, paymentId: number): Promise<Payment> {
    return lockRowForUpdate(Payment, trx, paymentId)
  }
}
