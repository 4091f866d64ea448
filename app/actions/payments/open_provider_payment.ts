import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { PaymentStatus } from '#enums/payment_status'
import type Payment from '#models/payment'
import PaymentGateway from '#services/payment_gateway'
import ReleasePaymentHold from '#actions/payments/release_payment_hold'

/**
 * Creates the provider's order for a payment we just recorded (`created`)
 * and stores its id, so Checkout can take the money. Shared by top-ups and
 * pay per vend.
 */
@inject()
export default class OpenProviderPayment {
  constructor(
    protected gateway: PaymentGateway,
    protected releaseHold: ReleasePaymentHold
  ) {}

  /**
   * @throws PaymentProviderException (502) when the provider refuses; the
   *   payment is then `failed`, any stock it held is back in the slot, and
   *   its Idempotency-Key is free again
   */
  async handle(payment: Payment): Promise<Payment> {
    try {
      payment.providerOrderId = await this.gateway.createOrder(
        payment.amountPaise,
        `payment:${payment.id}`,
        {
          purpose: payment.purpose,
          payment_id: String(payment.id),
        }
      )
      await payment.save()
      return payment
    } catch (error) {
      await this.releaseHold.handle(payment, PaymentStatus.Failed, 'provider_error')
      // The 502 says "nothing was charged, try again": a retry with the same
      // key must open a new payment, not replay this dead one (no order id).
      if (payment.idempotencyKey) {
        await db.from('payments').where('id', payment.id).update({ idempotency_key: null })
        payment.idempotencyKey = null
      }
      throw error
    }
  }
}
