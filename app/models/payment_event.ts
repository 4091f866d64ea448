import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Payment from '#models/payment'

/**
 * One webhook event from the payment provider, as received (`payload` is the
 * raw body), unique on the provider's `eventId` (Razorpay's
 * `X-Razorpay-Event-Id`) and on `bodySha256`, the SHA-256 of the signed
 * body (the event id header is not signed, so a replayed body under a new
 * id is the same event). `outcome` records what handling it did:
 * `received` while in progress, then e.g. `credited`, `vended`,
 * `refunded_to_card`, `hold_released`, `refund_processed`, `ignored`, or
 * `error` (handling failed; the provider redelivers and it is tried again).
 */
export default class PaymentEvent extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare provider: string

  @column()
  declare eventId: string

  @column()
  declare event: string

  @column()
  declare providerOrderId: string | null

  @column()
  declare providerPaymentId: string | null

  @column()
  declare paymentId: number | null

  @column()
  declare payload: string

  @column({ columnName: 'body_sha256' })
  declare bodySha256: string | null

  @column()
  declare outcome: string

  @column()
  declare error: string | null

  @column()
  declare deliveries: number

  @column.dateTime()
  declare receivedAt: DateTime

  @column.dateTime()
  declare processedAt: DateTime | null

  @belongsTo(() => Payment)
  declare payment: BelongsTo<typeof Payment>
}
