import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasOne } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasOne } from '@adonisjs/lucid/types/relations'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { affectedRows, dbTimestamp, lockRowForUpdate } from '#services/db_helpers'
import { PaymentStatus, canTransitionPayment } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import { CardRefundStatus, canTransitionCardRefund } from '#enums/card_refund_status'
import InvalidCardRefundTransitionException from '#exceptions/invalid_card_refund_transition_exception'
import InvalidPaymentTransitionException from '#exceptions/invalid_payment_transition_exception'
import User from '#models/user'
import Machine from '#models/machine'
import Product from '#models/product'
import Slot from '#models/slot'
import Order from '#models/order'

/**
 * What a webhook says about a card refund: the provider's refund id it
 * names, and when the provider created the event (its signed `created_at`,
 * null when the body has none).
 */
export interface CardRefundEvent {
  refundId: string
  at: DateTime | null
}

/**
 * Options of `Payment.transitionRefund`.
 */
export interface CardRefundMove {
  /** Other columns to set with the move, e.g. `{ refund_error: null }`. */
  set?: Record<string, string | number | null>
  /**
   * The move is a webhook's: it applies only to the refund the event names
   * (the stored `provider_refund_id`, or none stored yet, when the event's
   * id is adopted), and only when the event is not older than the one
   * that set the current status (`refund_event_at`).
   */
  event?: CardRefundEvent
  /** Only when the row was last updated before this (a stuck claim). */
  updatedBefore?: DateTime
}

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

  /**
   * When the provider created the webhook event that set the current
   * `refundStatus` (its clock, from the signed body); null when our own
   * call set it. Older events are ignored (`transitionRefund`).
   */
  @column.dateTime()
  declare refundEventAt: DateTime | null

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

  /**
   * Moves payment `paymentId` from one of `from` to `to` with one
   * conditional UPDATE (`WHERE status IN from`), so of two racing callers
   * (the Checkout response, the webhook, a cancel, the hold sweeper)
   * exactly one wins. Every change of `payments.status` goes through here;
   * the allowed moves are `PAYMENT_TRANSITIONS` in `#enums/payment_status`.
   * Moving to `paid` stamps `paid_at`.
   *
   * A single conditional UPDATE is atomic by itself: `client` is the
   * caller's transaction when the move must commit with other writes (the
   * ledger credit, the stock given back), or a plain connection.
   *
   * @param set other columns to set with the move, e.g.
   *   `{ stock_held: false, failure_reason: 'hold_expired' }`
   * @returns true when this call made the move, false when the payment was
   *   not in any of `from` (someone else moved it first)
   * @throws InvalidPaymentTransitionException when a `from → to` pair is
   *   not allowed at all (a programming error, never bad input)
   */
  static async transition(
    client: QueryClientContract,
    paymentId: number,
    from: PaymentStatus | readonly PaymentStatus[],
    to: PaymentStatus,
    set: Record<string, string | number | boolean | null> = {}
  ): Promise<boolean> {
    const sources = Array.isArray(from) ? [...from] : [from as PaymentStatus]
    for (const source of sources) {
      if (!canTransitionPayment(source, to)) throw new InvalidPaymentTransitionException(source, to)
    }

    const now = dbTimestamp(client)
    const changes: Record<string, string | number | boolean | null> = {
      ...set,
      status: to,
      updated_at: now,
    }
    if (to === PaymentStatus.Paid) changes.paid_at = now

    const result = await client
      .from('payments')
      .where('id', paymentId)
      .whereIn('status', sources)
      .update(changes)
    return affectedRows(result) === 1
  }

  /**
   * Moves payment `paymentId`'s card refund from one of `from` (null: no
   * refund yet) to `to` with one conditional UPDATE, so of two racing
   * callers (our refund call, a webhook, the sweeper) exactly one wins.
   * Every change of `refund_status` goes through here; the allowed moves
   * are `CARD_REFUND_TRANSITIONS` in `#enums/card_refund_status`. Moving
   * to `processed` stamps `refunded_at`.
   *
   * A webhook's move (`move.event`) also requires the stored refund id to
   * be the event's, or none yet (the id is then adopted: our call's answer
   * was lost, or the webhook came first; the caller found the payment by
   * the refund's payment id, so the refund is this payment's), and the
   * event to be no older than the event behind the current status
   * (Razorpay's `created_at` against `refund_event_at`: Razorpay's clock
   * on both sides, never ours). It records the event's time.
   *
   * @returns true when this call made the move, false when the row did
   *   not match (another status, another refund, an older event)
   * @throws InvalidCardRefundTransitionException when a `from → to` pair
   *   is not allowed at all (a programming error, never bad input)
   */
  static async transitionRefund(
    client: QueryClientContract,
    paymentId: number,
    from: CardRefundStatus | null | readonly (CardRefundStatus | null)[],
    to: CardRefundStatus,
    move: CardRefundMove = {}
  ): Promise<boolean> {
    const sources: (CardRefundStatus | null)[] = Array.isArray(from)
      ? [...from]
      : [from as CardRefundStatus | null]
    for (const source of sources) {
      if (!canTransitionCardRefund(source, to))
        throw new InvalidCardRefundTransitionException(source, to)
    }

    const now = dbTimestamp(client)
    const changes: Record<string, string | number | null> = {
      ...move.set,
      refund_status: to,
      updated_at: now,
    }
    if (to === CardRefundStatus.Processed) changes.refunded_at = now

    const statuses = sources.filter((source): source is CardRefundStatus => source !== null)
    const query = client
      .from('payments')
      .where('id', paymentId)
      .where((status) => {
        status.whereIn('refund_status', statuses)
        if (sources.includes(null)) status.orWhereNull('refund_status')
      })
    if (move.updatedBefore) query.where('updated_at', '<', dbTimestamp(client, move.updatedBefore))

    const event = move.event
    if (event) {
      query.where((refund) =>
        refund.where('provider_refund_id', event.refundId).orWhereNull('provider_refund_id')
      )
      changes.provider_refund_id = event.refundId
      if (event.at) {
        const at = dbTimestamp(client, event.at)
        query.where((time) =>
          time.whereNull('refund_event_at').orWhere('refund_event_at', '<=', at)
        )
        changes.refund_event_at = at
      }
    }

    return affectedRows(await query.update(changes)) === 1
  }
}
