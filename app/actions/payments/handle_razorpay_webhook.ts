import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { PaymentStatus } from '#enums/payment_status'
import { CardRefundStatus, cardRefundSources } from '#enums/card_refund_status'
import Payment from '#models/payment'
import PaymentEvent from '#models/payment_event'
import PaymentGateway from '#services/payment_gateway'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import CapturePayment from '#actions/payments/capture_payment'
import ReleasePaymentHold from '#actions/payments/release_payment_hold'
import InvalidPaymentSignatureException from '#exceptions/invalid_payment_signature_exception'
import VendingException from '#exceptions/vending_exception'

/**
 * How long after it arrived an event still `received` (not handled) is
 * taken for abandoned by a process that died, and handled again on
 * redelivery. Razorpay waits 5 s for an answer before it retries, so no
 * live handling takes this long.
 */
const STALE_HANDLING_MS = 60_000

/**
 * One webhook delivery as it reached us: the raw body (the signature covers
 * its exact bytes), `X-Razorpay-Signature` and `X-Razorpay-Event-Id`.
 */
export interface WebhookDelivery {
  rawBody: string
  signature: string
  eventId?: string
}

/**
 * `duplicate` when the event was handled before (a redelivery); otherwise
 * the outcome stored on the event row.
 */
export interface WebhookResult {
  outcome: string
  eventId: string
}

interface PaymentEntity {
  id: string
  order_id?: string | null
  amount?: number
  status?: string
  error_description?: string | null
}

interface RefundEntity {
  id: string
  payment_id: string
  amount?: number
  status?: string
}

/**
 * What each refund event says about the refund it names, and the outcome
 * stored when it is applied (or already true).
 */
const REFUND_EVENTS: Record<string, { to: CardRefundStatus; outcome: string }> = {
  'refund.created': { to: CardRefundStatus.Sent, outcome: 'refund_created' },
  'refund.processed': { to: CardRefundStatus.Processed, outcome: 'refund_processed' },
  'refund.failed': { to: CardRefundStatus.Failed, outcome: 'refund_failed' },
}

/**
 * Razorpay's webhook (`POST /webhooks/razorpay`), the path that still works
 * when the shopper's browser never comes back from Checkout.
 *
 * The signature is checked over the raw body with the webhook secret before
 * anything else. Every event is stored in `payment_events`, unique on its
 * event id and on the SHA-256 of its body, before it is acted on, so a
 * redelivery — or two copies racing, or a signed body replayed under
 * another `X-Razorpay-Event-Id`, a header the signature does not cover —
 * acts once. Handling is idempotent on its own too: captures go through
 * `CapturePayment`, whose conditional update and unique ledger reference
 * credit at most once whichever of webhook and verify arrives first.
 *
 * Events: `payment.captured` / `order.paid` (credit or vend),
 * `payment.failed` (release a held unit), `refund.created` /
 * `refund.processed` / `refund.failed` (follow a refund to the card: only
 * the refund the event names, only forward, never from an event older
 * than the current state; see `onRefund`).
 * Others are stored and ignored. A handling error is stored as `error` and
 * rethrown (500), so Razorpay redelivers and the event is tried again.
 */
@inject()
export default class HandleRazorpayWebhook {
  constructor(
    protected gateway: PaymentGateway,
    protected capturePayment: CapturePayment,
    protected releaseHold: ReleasePaymentHold
  ) {}

  /**
   * @throws InvalidPaymentSignatureException (400) for a missing or wrong
   *   signature: nothing is stored
   * @throws VendingException (400 `invalid_payload`) for a signed body
   *   that is not a Razorpay event
   */
  async handle(delivery: WebhookDelivery): Promise<WebhookResult> {
    if (!delivery.signature || !this.gateway.verifyWebhook(delivery.rawBody, delivery.signature)) {
      throw new InvalidPaymentSignatureException('The webhook signature does not match.')
    }

    let body: {
      event?: unknown
      created_at?: unknown
      payload?: Record<string, { entity?: unknown }>
    }
    try {
      body = JSON.parse(delivery.rawBody)
    } catch {
      throw new VendingException('The webhook body is not JSON.', {
        status: 400,
        code: 'invalid_payload',
      })
    }
    if (typeof body?.event !== 'string') {
      throw new VendingException('The webhook body has no event.', {
        status: 400,
        code: 'invalid_payload',
      })
    }

    const event = body.event
    const paymentEntity = body.payload?.payment?.entity as PaymentEntity | undefined
    const orderEntity = body.payload?.order?.entity as { id?: string } | undefined
    const refundEntity = body.payload?.refund?.entity as RefundEntity | undefined
    // Razorpay's `created_at` (unix seconds), covered by the signature.
    const signedAt = Number.isInteger(body.created_at)
      ? DateTime.fromSeconds(body.created_at as number)
      : null
    const createdAt = signedAt?.isValid ? signedAt : null
    // Identifies the event whatever header it came with.
    const bodySha256 = createHash('sha256').update(delivery.rawBody).digest('hex')
    // Razorpay sends X-Razorpay-Event-Id; without it, the body itself
    // identifies a redelivery.
    const eventId = delivery.eventId?.slice(0, 128) || `sha256:${bodySha256}`

    const record = await this.store(eventId, bodySha256, event, delivery.rawBody, {
      providerOrderId: paymentEntity?.order_id ?? orderEntity?.id ?? null,
      providerPaymentId: paymentEntity?.id ?? refundEntity?.payment_id ?? null,
    })
    if (!record) return { outcome: 'duplicate', eventId }

    try {
      const { outcome, paymentId } = await this.dispatch(
        event,
        paymentEntity,
        orderEntity,
        refundEntity,
        createdAt
      )
      record.merge({ outcome, paymentId, error: null, processedAt: DateTime.now() })
      await record.save()
      return { outcome, eventId }
    } catch (error) {
      record.merge({
        outcome: 'error',
        error: String((error as Error).message ?? error).slice(0, 255),
        processedAt: DateTime.now(),
      })
      await record.save()
      logger.error(
        { err: error, eventId, event },
        'razorpay webhook handling failed; Razorpay will redeliver'
      )
      throw error
    }
  }

  /**
   * Stores the event, or counts a redelivery of a stored one: the same
   * event id, or the same signed body under any event id.
   *
   * @returns the row to handle, or null when it was handled already (or is
   *   being handled right now by another request)
   */
  protected async store(
    eventId: string,
    bodySha256: string,
    event: string,
    payload: string,
    ids: { providerOrderId: string | null; providerPaymentId: string | null }
  ): Promise<PaymentEvent | null> {
    // ON CONFLICT DO NOTHING rather than catching the unique violation:
    // on PostgreSQL that error aborts the enclosing transaction, so a
    // caller's transaction (or a test's) could not go on after a
    // redelivery. Either unique index (event id, body digest) skips it.
    const inserted: { id: number }[] = await db
      .knexQuery()
      .table('payment_events')
      .insert({
        provider: 'razorpay',
        event_id: eventId,
        body_sha256: bodySha256,
        event: event.slice(0, 64),
        provider_order_id: ids.providerOrderId?.slice(0, 64) ?? null,
        provider_payment_id: ids.providerPaymentId?.slice(0, 64) ?? null,
        payload,
        outcome: 'received',
        deliveries: 1,
        received_at: dbTimestamp(db.connection()),
      })
      .onConflict()
      .ignore()
      .returning('id')
    if (inserted.length === 1) return PaymentEvent.findOrFail(inserted[0].id)
    const existing = await PaymentEvent.query()
      .where('event_id', eventId)
      .orWhere('body_sha256', bodySha256)
      .orderBy('id')
      .firstOrFail()
    await db.from('payment_events').where('id', existing.id).increment('deliveries', 1)
    // Tried again: an event whose handling failed, and one still `received`
    // long after it arrived (the process died while handling it; Razorpay
    // got no answer and redelivers). One being handled right now is not.
    // Handling is idempotent on its own, so two redeliveries racing for an
    // abandoned event may both handle it without harm.
    const stale =
      existing.outcome === 'received' &&
      existing.receivedAt < DateTime.now().minus({ milliseconds: STALE_HANDLING_MS })
    if (stale) return existing
    if (existing.outcome !== 'error') return null
    const claimed = await db
      .from('payment_events')
      .where('id', existing.id)
      .where('outcome', 'error')
      .update({ outcome: 'received', processed_at: null })
    return affectedRows(claimed) === 1 ? existing : null
  }

  protected async dispatch(
    event: string,
    paymentEntity?: PaymentEntity,
    orderEntity?: { id?: string },
    refundEntity?: RefundEntity,
    createdAt: DateTime | null = null
  ): Promise<{ outcome: string; paymentId: number | null }> {
    switch (event) {
      case 'payment.captured':
      case 'order.paid':
        return this.onPaid(paymentEntity, orderEntity)
      case 'payment.failed':
        return this.onFailed(paymentEntity)
      case 'refund.created':
      case 'refund.processed':
      case 'refund.failed':
        return this.onRefund(event, refundEntity, createdAt)
      default:
        return { outcome: 'ignored', paymentId: null }
    }
  }

  protected async onPaid(entity?: PaymentEntity, orderEntity?: { id?: string }) {
    const orderId = entity?.order_id ?? orderEntity?.id
    if (!entity?.id || !orderId) return { outcome: 'ignored', paymentId: null }
    const payment = await Payment.findBy('providerOrderId', orderId)
    if (!payment) return { outcome: 'unknown_order', paymentId: null }
    if (entity.amount !== undefined && entity.amount !== payment.amountPaise) {
      // Razorpay charges an order's own amount; anything else is not ours to credit.
      logger.error(
        { paymentId: payment.id, amount: entity.amount },
        'webhook amount differs from the payment'
      )
      return { outcome: 'amount_mismatch', paymentId: payment.id }
    }
    const { outcome, payment: captured } = await this.capturePayment.handle(payment, entity.id)
    return { outcome, paymentId: captured.id }
  }

  protected async onFailed(entity?: PaymentEntity) {
    if (!entity?.order_id) return { outcome: 'ignored', paymentId: null }
    const payment = await Payment.findBy('providerOrderId', entity.order_id)
    if (!payment) return { outcome: 'unknown_order', paymentId: null }
    const reason = entity.error_description || 'payment_failed'
    const released = await this.releaseHold.handle(payment, PaymentStatus.Failed, reason)
    return { outcome: released ? 'hold_released' : 'ignored', paymentId: payment.id }
  }

  /**
   * A refund event moves the card refund of the payment it names, under
   * three rules, each enforced by `Payment.transitionRefund`'s one UPDATE:
   * - only the refund the event names: the stored refund id must be the
   *   event's, or none stored yet (our call's answer was lost, or the
   *   webhook beat it), when the event's id is adopted. Another refund of
   *   the same payment (one made in Razorpay's dashboard) changes nothing;
   * - only forward (`CARD_REFUND_TRANSITIONS`): a `processed` refund stays
   *   processed whatever comes after;
   * - never from an event older than the one that set the current status.
   */
  protected async onRefund(
    event: string,
    entity: RefundEntity | undefined,
    createdAt: DateTime | null
  ) {
    if (!entity?.payment_id || !entity.id) return { outcome: 'ignored', paymentId: null }
    const payment = await Payment.findBy('providerPaymentId', entity.payment_id)
    if (!payment) return { outcome: 'unknown_payment', paymentId: null }
    if (!payment.refundStatus) {
      // A refund made in Razorpay's dashboard, not by us: shown to admins only.
      logger.warn({ paymentId: payment.id, refundId: entity.id }, 'refund not issued by Vendora')
      return { outcome: 'foreign_refund', paymentId: payment.id }
    }

    const { to, outcome } = REFUND_EVENTS[event]
    const moved = await Payment.transitionRefund(
      db.connection(),
      payment.id,
      cardRefundSources(to),
      to,
      {
        set: { refund_error: to === CardRefundStatus.Failed ? 'refund failed at Razorpay' : null },
        event: { refundId: entity.id, at: createdAt },
      }
    )
    if (moved) return { outcome, paymentId: payment.id }

    // Why not: read what the row holds now.
    await payment.refresh()
    if (payment.providerRefundId && payment.providerRefundId !== entity.id) {
      logger.warn(
        {
          paymentId: payment.id,
          refundId: entity.id,
          ourRefundId: payment.providerRefundId,
          event,
        },
        'refund event names another refund than ours: ignored'
      )
      return { outcome: 'other_refund', paymentId: payment.id }
    }
    // Already so (a redelivered state, or our call's answer said it first).
    if (payment.refundStatus === to) return { outcome, paymentId: payment.id }
    logger.info(
      { paymentId: payment.id, refundId: entity.id, event, refundStatus: payment.refundStatus },
      'refund event older than the refund state, or moving it backwards: ignored'
    )
    return { outcome: 'stale_refund_event', paymentId: payment.id }
  }
}
