import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { CardRefundStatus } from '#enums/card_refund_status'
import Payment from '#models/payment'
import PaymentGateway from '#services/payment_gateway'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import metrics from '#services/metrics'

/**
 * What one attempt did: `sent` (the provider accepted it, settles later),
 * `processed` (settled at once), `retry` (the call failed; still pending),
 * `skipped` (nothing pending for this payment, or another process has it).
 */
export type CardRefundAttempt = 'sent' | 'processed' | 'retry' | 'skipped'

/**
 * Sends a refund owed to a card (a pay-per-vend payment whose order was
 * refunded, or money that arrived for a unit that was gone) to the payment
 * provider's refund API, in full.
 *
 * A refund is claimed with a conditional `UPDATE ... WHERE refund_status =
 * 'pending'` before the call, so two processes never both ask for it. A
 * failed call puts it back to `pending` for the sweeper's next try; a
 * refund stuck in `sending` (the process died mid-call) is retried too.
 * A retry first asks the provider for a refund it already made (a call
 * whose answer was lost) and adopts it; and Razorpay refuses refunding more
 * than was paid, so a retry can never pay out twice.
 */
@inject()
export default class IssueCardRefund {
  constructor(protected gateway: PaymentGateway) {}

  /**
   * One attempt for one payment. Never throws for a provider failure.
   */
  async handle(paymentId: number): Promise<CardRefundAttempt> {
    const claimed = await db
      .from('payments')
      .where('id', paymentId)
      .where('refund_status', CardRefundStatus.Pending)
      .update({ refund_status: CardRefundStatus.Sending, updated_at: dbTimestamp(db.connection()) })
    if (affectedRows(claimed) !== 1) return 'skipped'

    const payment = await Payment.findOrFail(paymentId)
    try {
      // After a failed attempt the call may have reached Razorpay and only
      // its answer was lost: adopt that refund instead of asking again.
      const earlier = payment.refundError ? await this.gateway.existingRefund(payment.providerPaymentId!) : null
      const refund =
        earlier ?? (await this.gateway.refund(payment.providerPaymentId!, payment.amountPaise, { payment_id: String(payment.id) }))
      const processed = refund.status === 'processed'
      await db
        .from('payments')
        .where('id', paymentId)
        .where('refund_status', CardRefundStatus.Sending)
        .update({
          refund_status: processed ? CardRefundStatus.Processed : CardRefundStatus.Sent,
          provider_refund_id: refund.id,
          refund_error: null,
          refunded_at: processed ? dbTimestamp(db.connection()) : null,
          updated_at: dbTimestamp(db.connection()),
        })
      logger.info({ paymentId, refundId: refund.id, status: refund.status }, 'refund to card sent')
      metrics.refunded('card')
      return processed ? 'processed' : 'sent'
    } catch (error) {
      await db
        .from('payments')
        .where('id', paymentId)
        .where('refund_status', CardRefundStatus.Sending)
        .update({
          refund_status: CardRefundStatus.Pending,
          refund_error: String((error as Error).message ?? error).slice(0, 255),
          updated_at: dbTimestamp(db.connection()),
        })
      return 'retry'
    }
  }

  /**
   * The sweeper's pass: retries refunds left `pending` for `retryAfterMs`
   * and ones stuck `sending` for `stuckAfterMs`.
   *
   * @returns how many refunds were sent or processed
   */
  async retryDue(now: DateTime = DateTime.now(), retryAfterMs = 30_000, stuckAfterMs = 5 * 60_000): Promise<number> {
    const stuck = await db
      .from('payments')
      .where('refund_status', CardRefundStatus.Sending)
      .where('updated_at', '<', dbTimestamp(db.connection(), now.minus({ milliseconds: stuckAfterMs })))
      .update({ refund_status: CardRefundStatus.Pending, refund_error: 'interrupted while sending' })
    if (affectedRows(stuck) > 0) logger.warn({ count: affectedRows(stuck) }, 'card refunds stuck while sending: retrying')

    const due = await db
      .from('payments')
      .where('refund_status', CardRefundStatus.Pending)
      .where('updated_at', '<', dbTimestamp(db.connection(), now.minus({ milliseconds: retryAfterMs })))
      .orderBy('id')
      .limit(50)
      .select('id')
    let sent = 0
    for (const row of due) {
      const attempt = await this.handle(row.id)
      if (attempt === 'sent' || attempt === 'processed') sent++
    }
    return sent
  }
}
