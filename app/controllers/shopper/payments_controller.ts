import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { PaymentPurpose } from '#enums/payment_purpose'
import Payment from '#models/payment'
import ConfirmCheckout from '#actions/payments/confirm_checkout'
import CancelPayment from '#actions/payments/cancel_payment'
import { presentPayment } from '#services/presenters'
import { verifyPaymentValidator } from '#validators/payment'

/**
 * The page's script reporting back from Razorpay Checkout (JSON only; the
 * script sends the CSRF token in `X-CSRF-Token`).
 */
export default class PaymentsController {
  /**
   * POST /m/:code/payments/verify `{ razorpay_order_id,
   * razorpay_payment_id, razorpay_signature }` → `{ payment, redirect }`:
   * the order's live page for an item paid per vend, the machine's page
   * (with a notice) for a top-up. A wrong signature is 400
   * `invalid_signature` and changes nothing; someone else's payment is 404.
   */
  @inject()
  async verify({ params, request, auth, session }: HttpContext, confirmCheckout: ConfirmCheckout) {
    const input = await request.validateUsing(verifyPaymentValidator)
    const { payment, order, outcome } = await confirmCheckout.handle(auth.user!, input)

    if (order) {
      return {
        payment: presentPayment(payment),
        redirect: router.makeUrl('shopper.order', { code: params.code, id: order.id }),
      }
    }
    if (payment.purpose === PaymentPurpose.TopUp) {
      session.flash('toppedUpPaise', payment.amountPaise)
    } else if (outcome === 'refunded_to_card' || outcome === 'extra_payment') {
      session.flash(
        'error',
        'That item was no longer available, so your payment is being refunded to your card.'
      )
    }
    return {
      payment: presentPayment(payment),
      redirect: router.makeUrl('shopper.machine', { code: params.code }),
    }
  }

  /**
   * POST /m/:code/payments/:id/cancel → `{ payment }`: the shopper closed
   * Checkout without paying; a unit held for them goes back at once.
   */
  @inject()
  async cancel({ params, auth, bouncer }: HttpContext, cancelPayment: CancelPayment) {
    const payment = await Payment.findOrFail(params.id)
    await bouncer.with('PaymentPolicy').authorize('cancel', payment)
    return { payment: presentPayment(await cancelPayment.handle(auth.user!, payment)) }
  }
}
