import { inject } from '@adonisjs/core'
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
   *   payment is then `failed` and any stock it held is back in the slot
   */
  async handle(payment: Payment): Promise<Payment> {
    try {
      payment.providerOrderId = await this.gateway.createOrder(payment.amountPaise, `payment:${payment.id}`, {
        purpose: payment.purpose,
        payment_id: String(payment.id),
      })
      await payment.save()
      return payment
    } catch (error) {
      await this.releaseHold.handle(payment, PaymentStatus.Failed, 'provider_error')
      throw error
    }
  }
}
