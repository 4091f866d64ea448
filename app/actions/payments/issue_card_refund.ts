import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { CardRefundStatus } from '#enums/card_refund_status'
import Payment from '#models/payment'
import PaymentGateway from '#services/payment_gateway'
import { dbTimestamp } from '#services/db_helpers'
import Metrics from '#services/metrics'

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
 * A refund is claimed (`pending → sending`, `Payment.transitionRefund`'s
 * conditional UPDATE) before the call, so two processes never both ask
 * for it. A failed call puts it back to `pending` for the sweeper's next
 * try; a refund stuck in `sending` (the process died mid-call) is retried
 * too.
 * A retry first asks the provider for a refund it already made (a call
 * whose answer was lost) and adopts it; and Razorpay refuses refunding more
 * than was paid, so a retry can never pay out twice.
 */
@inject()
export default class IssueCardRefund {
  constructor(
    protected gateway: PaymentGateway,
    protected metrics: Metrics
  ) {}

  /**
   * One attempt for one payment. Never throws for a provider failure.
   */
  async handle(paymentId: number): Promise<CardRefundAttempt> {
    const client = db.connection()
    const claimed = await Payment.transitionRefund(
      client,
      paymentId,
      CardRefundStatus.Pending,
      CardRefundStatus.Sending
    )
    if (!claimed) return 'skipped'

    const payment = await Payment.findOrFail(paymentId)
    try {
      // After a failed attempt the call may have reached Razorpay and only
      // its answer was lost: adopt that refund instead of asking again.
      const earlier = payment.refundError
        ? await this.gateway.existingRefund(payment.providerPaymentId!)
        : null
      const refund =
        earlier ??
        (await this.gateway.refund(payment.providerPaymentId!, payment.amountPaise, {
          payment_id: String(payment.id),
        }))
      const processed = refund.status === 'processed'
      // A webhook about this refund may have moved it on already; then it stays.
      await Payment.transitionRefund(
        client,
        paymentId,
        CardRefundStatus.Sending,
        processed ? CardRefundStatus.Processed : CardRefundStatus.Sent,
        {
          set: { provider_refund_id: refund.id, refund_error: null },
        }
      )
      logger.info({ paymentId, refundId: refund.id, status: refund.status }, 'refund to card sent')
      this.metrics.refunded('card')
      return processed ? 'processed' : 'sent'
    } catch (error) {
      await Payment.transitionRefund(
        client,
        paymentId,
        CardRefundStatus.Sending,
        CardRefundStatus.Pending,
        {
          set: { refund_error: String((error as Error).message ?? error).slice(0, 255) },
        }
      )
      return 'retry'
    }
  }

  /**
   * The sweeper's pass: retries refunds left `pending` for `retryAfterMs`
   * and ones stuck `sending` for `stuckAfterMs`.
   *
   * @returns how many refunds were sent or processed
   */
  async retryDue(
    now: DateTime = DateTime.now(),
    retryAfterMs = 30_000,
    stuckAfterMs = 5 * 60_000
  ): Promise<number> {
    const client = db.connection()
    const stuckSince = now.minus({ milliseconds: stuckAfterMs })
    const stuck = await client
      .from('payments')
      .where('refund_status', CardRefundStatus.Sending)
      .where('updated_at', '<', dbTimestamp(client, stuckSince))
      .orderBy('id')
      .limit(50)
      .select('id')
    const released: number[] = []
    for (const row of stuck) {
      const moved = await Payment.transitionRefund(
        client,
        row.id,
        CardRefundStatus.Sending,
        CardRefundStatus.Pending,
        {
          set: { refund_error: 'interrupted while sending' },
          updatedBefore: stuckSince,
        }
      )
      if (moved) released.push(row.id)
    }
    if (released.length > 0)
      logger.warn({ count: released.length }, 'card refunds stuck while sending: retrying')

    const due = await client
      .from('payments')
      .where('refund_status', CardRefundStatus.Pending)
      .where('updated_at', '<', dbTimestamp(client, now.minus({ milliseconds: retryAfterMs })))
      .orderBy('id')
      .limit(50)
      .select('id')
    // Released just now (their `updated_at` is now): retried in this pass too.
    const ids = [...new Set([...released, ...due.map((row) => Number(row.id))])]
    let sent = 0
    for (const id of ids) {
      const attempt = await this.handle(id)
      if (attempt === 'sent' || attempt === 'processed') sent++
    }
    return sent
  }
}
