import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { PaymentStatus } from '#enums/payment_status'
import Payment from '#models/payment'
import Slot from '#models/slot'

/**
 * Ends an open payment that will not be paid (`created → failed | expired`)
 * and puts the unit it held back in its slot, in one database transaction.
 *
 * Conditional on the payment still being `created` (the move is
 * `Payment.transition`'s conditional UPDATE), so a payment captured
 * meanwhile keeps its unit, and a hold is released at most once (stock can
 * never be given back twice).
 */
export default class ReleasePaymentHold {
  /**
   * @param reason why (`payment_failed`, `hold_expired`, `cancelled`,
   *   `replaced` by the shopper's next pay request, `provider_error`),
   *   kept in `failureReason`
   * @returns false when the payment was no longer open (nothing changed)
   */
  async handle(
    payment: Payment,
    to: PaymentStatus.Failed | PaymentStatus.Expired,
    reason: string
  ): Promise<boolean> {
    const released = await db.transaction((trx) =>
      ReleasePaymentHold.releaseWithin(trx, payment, to, reason)
    )
    if (released) await payment.refresh()
    return released
  }

  /**
   * The release inside the caller's transaction.
   */
  static async releaseWithin(
    trx: TransactionClientContract,
    payment: Pick<Payment, 'id'>,
    to: PaymentStatus.Failed | PaymentStatus.Expired,
    reason: string
  ): Promise<boolean> {
    const current = await Payment.lockForUpdate(trx, payment.id)
    if (current.status !== PaymentStatus.Created) return false

    const moved = await Payment.transition(trx, payment.id, PaymentStatus.Created, to, {
      failure_reason: reason.slice(0, 255),
      stock_held: false,
    })
    if (!moved) return false

    if (current.stockHeld && current.slotId) await Slot.putBackOne(trx, current.slotId)
    return true
  }
}
