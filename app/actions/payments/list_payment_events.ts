import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import Payment from '#models/payment'
import PaymentEvent from '#models/payment_event'

/**
 * Webhook events per page in the panel's event log.
 */
export const PAYMENT_EVENTS_PER_PAGE = 50

/**
 * `GET /admin/payments/events` query: an optional `outcome` (e.g. `error`,
 * `ignored`; see `PaymentEvent`) and the page. Empty inputs are dropped by
 * the controller first.
 */
export const adminPaymentEventsFilterValidator = vine.compile(
  vine.object({
    outcome: vine
      .string()
      .trim()
      .maxLength(32)
      .regex(/^[a-z_]+$/)
      .optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

export type PaymentEventFilters = Omit<Infer<typeof adminPaymentEventsFilterValidator>, 'page'>

/**
 * The webhook event log for the panel (read-only), newest first.
 */
export default class ListPaymentEvents {
  /**
   * One page of events, and for each the id of the payment it concerns
   * (`paymentIds`, keyed by event id): its own `payment_id`, else the
   * payment with the same Razorpay payment or order id, else none.
   */
  async page(filters: PaymentEventFilters, page: number) {
    const events = await PaymentEvent.query()
      .if(filters.outcome, (query) => query.where('outcome', filters.outcome!))
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, PAYMENT_EVENTS_PER_PAGE)

    const unlinked = events.all().filter((event) => !event.paymentId)
    const providerPaymentIds = unlinked.flatMap((event) =>
      event.providerPaymentId ? [event.providerPaymentId] : []
    )
    const providerOrderIds = unlinked.flatMap((event) =>
      event.providerOrderId ? [event.providerOrderId] : []
    )
    const matches =
      providerPaymentIds.length || providerOrderIds.length
        ? await Payment.query()
            .select('id', 'provider_payment_id', 'provider_order_id')
            .whereIn('provider_payment_id', providerPaymentIds)
            .orWhereIn('provider_order_id', providerOrderIds)
        : []

    const paymentIds = new Map<number, number | null>()
    for (const event of events) {
      const match = matches.find(
        (payment) =>
          (event.providerPaymentId && payment.providerPaymentId === event.providerPaymentId) ||
          (event.providerOrderId && payment.providerOrderId === event.providerOrderId)
      )
      paymentIds.set(event.id, event.paymentId ?? match?.id ?? null)
    }
    return { events, paymentIds }
  }
}
