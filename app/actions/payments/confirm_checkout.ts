import { inject } from '@adonisjs/core'
import type User from '#models/user'
import Payment from '#models/payment'
import type Order from '#models/order'
import PaymentGateway from '#services/payment_gateway'
import CapturePayment, { type CaptureOutcome } from '#actions/payments/capture_payment'
import InvalidPaymentSignatureException from '#exceptions/invalid_payment_signature_exception'

/**
 * The three fields Razorpay Checkout hands the browser after a payment.
 */
export interface CheckoutResponse {
  razorpay_order_id: string
  razorpay_payment_id: string
  razorpay_signature: string
}

/**
 * The browser came back from Razorpay Checkout: checks Razorpay's signature
 * (HMAC-SHA256 of `order_id|payment_id` with the key secret) and captures
 * the payment (`CapturePayment`: credit the wallet or vend, once). The
 * webhook may have done it already; then nothing changes.
 */
@inject()
export default class ConfirmCheckout {
  constructor(
    protected gateway: PaymentGateway,
    protected capturePayment: CapturePayment
  ) {}

  /**
   * @returns the payment, the order it became (pay per vend), and what
   *   capturing did
   * @throws InvalidPaymentSignatureException (400) for a forged or
   *   mismatched signature: nothing changes
   * @throws E_ROW_NOT_FOUND (404) when the order is not one of this
   *   shopper's payments
   */
  async handle(
    user: User,
    input: CheckoutResponse
  ): Promise<{ payment: Payment; order: Order | null; outcome: CaptureOutcome }> {
    // The signature first: a forged request learns nothing about which
    // order ids exist.
    if (
      !this.gateway.verifyCheckout(
        input.razorpay_order_id,
        input.razorpay_payment_id,
        input.razorpay_signature
      )
    ) {
      throw new InvalidPaymentSignatureException()
    }
    const payment = await Payment.query()
      .where('provider_order_id', input.razorpay_order_id)
      .where('user_id', user.id)
      .firstOrFail()
    const {
      outcome,
      payment: captured,
      order,
    } = await this.capturePayment.handle(payment, input.razorpay_payment_id)
    return { payment: captured, order, outcome }
  }
}
