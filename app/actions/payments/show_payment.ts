import Payment from '#models/payment'
import PaymentEvent from '#models/payment_event'

/**
 * A webhook event as the panel shows it: the model plus its payload
 * pretty-printed (`payloadText`), or as received when it is not JSON.
 */
export interface ShownPaymentEvent {
  event: PaymentEvent
  payloadText: string
}

/**
 * A raw webhook body → 2-space indented JSON, or the body unchanged when it
 * does not parse (a truncated or non-JSON delivery must still be readable).
 */
export function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2)
  } catch {
    return payload
  }
}

/**
 * One payment for the panel's detail page (read-only): the payment with
 * its shopper, machine, slot, product and the order it became, and every
 * webhook event about it, oldest first.
 *
 * An event belongs to the payment when its `payment_id` is the payment's
 * id, or its Razorpay payment or order id is the payment's: an event that
 * arrived before the payment row was matched (or that failed) has only the
 * provider's ids.
 */
export default class ShowPayment {
  /**
   * @throws E_ROW_NOT_FOUND (404) when there is no payment `id`
   */
  async handle(id: number): Promise<{ payment: Payment; events: ShownPaymentEvent[] }> {
    const payment = await Payment.query()
      .where('id', id)
      .preload('user')
      .preload('machine')
      .preload('slot')
      .preload('product')
      .preload('order')
      .firstOrFail()

    const events = await PaymentEvent.query()
      .where((match) => {
        match.where('payment_id', payment.id)
        if (payment.providerPaymentId)
          match.orWhere('provider_payment_id', payment.providerPaymentId)
        if (payment.providerOrderId) match.orWhere('provider_order_id', payment.providerOrderId)
      })
      .orderBy('received_at', 'asc')
      .orderBy('id', 'asc')

    return {
      payment,
      events: events.map((event) => ({ event, payloadText: prettyPayload(event.payload) })),
    }
  }
}
