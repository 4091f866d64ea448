import { PaymentStatus } from '#enums/payment_status'
import type User from '#models/user'
import Payment from '#models/payment'
import ReleasePaymentHold from '#actions/payments/release_payment_hold'
import { inject } from '@adonisjs/core'

/**
 * The shopper closed Razorpay Checkout without paying: the payment is
 * `failed` (`cancelled`) and a held unit goes back to its slot at once
 * instead of waiting for the hold to expire. If Razorpay still reports a
 * payment for it later, `CapturePayment` honours it.
 */
@inject()
export default class CancelPayment {
  constructor(protected releaseHold: ReleasePaymentHold) {}

  /**
   * @returns the payment as it now is (unchanged when no longer open)
   * @throws E_ROW_NOT_FOUND (404) for someone else's payment
   */
  async handle(user: User, payment: Payment): Promise<Payment> {
    if (payment.userId !== user.id) {
      await Payment.query().where('id', payment.id).where('user_id', user.id).firstOrFail()
    }
    await this.releaseHold.handle(payment, PaymentStatus.Failed, 'cancelled')
    await payment.refresh()
    return payment
  }
}
