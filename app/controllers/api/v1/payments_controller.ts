import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Payment from '#models/payment'
import User from '#models/user'
import StartVendPayment from '#actions/payments/start_vend_payment'
import ConfirmCheckout from '#actions/payments/confirm_checkout'
import CancelPayment from '#actions/payments/cancel_payment'
import { payPerVendValidator, verifyPaymentValidator } from '#validators/payment'
import { presentOrder, presentPayment } from '#services/presenters'
import { readIdempotencyKey } from '#services/idempotency'

/**
 * Card payments through Razorpay: paying for one item per vend, confirming
 * what Checkout returned, and looking at or cancelling a payment.
 */
export default class PaymentsController {
  /**
   * POST /api/v1/products/:id/pay `{ machine, slot?, display_code? }` → 201.
   * Razorpay: `{ payment, checkout }`, the unit held until
   * `payment.hold_expires_at`. Demo driver: `{ payment, order }`, paid and
   * sent to the machine at once. 200 on an Idempotency-Key replay.
   */
  @inject()
  async pay({ params, request, response, auth }: HttpContext, startVendPayment: StartVendPayment) {
    const payload = await request.validateUsing(payPerVendValidator)
    const outcome = await startVendPayment.handle({
      user: auth.getUserOrFail(),
      productId: Number(params.id),
      machineCode: payload.machine,
      slotNumber: payload.slot,
      displayCode: payload.display_code,
      idempotencyKey: await readIdempotencyKey(request),
      clientIp: request.ip(),
    })
    const body =
      outcome.kind === 'checkout'
        ? { payment: presentPayment(outcome.payment), checkout: outcome.checkout, order: null }
        : {
            payment: presentPayment(outcome.payment),
            checkout: null,
            order: presentOrder(outcome.order),
          }
    return response
      .status(outcome.replayed ? 200 : 201)
      .send({ ...body, replayed: outcome.replayed })
  }

  /**
   * POST /api/v1/payments/verify `{ razorpay_order_id, razorpay_payment_id,
   * razorpay_signature }` → 200 `{ payment, order, balance_paise, outcome }`.
   * A wrong signature is 400 `invalid_signature` and changes nothing.
   */
  @inject()
  async verify({ request, auth }: HttpContext, confirmCheckout: ConfirmCheckout) {
    const input = await request.validateUsing(verifyPaymentValidator)
    const user = auth.getUserOrFail()
    const { payment, order, outcome } = await confirmCheckout.handle(user, input)
    const fresh = await User.findOrFail(user.id)
    return {
      payment: presentPayment(payment),
      order: order ? presentOrder(order) : null,
      balance_paise: fresh.balancePaise,
      outcome,
    }
  }

  /**
   * GET /api/v1/payments/:id (own payments only)
   */
  async show({ params, bouncer }: HttpContext) {
    const payment = await Payment.findOrFail(params.id)
    await bouncer.with('PaymentPolicy').authorize('view', payment)
    return { payment: presentPayment(payment) }
  }

  /**
   * POST /api/v1/payments/:id/cancel: the shopper gave up on Checkout; a
   * held unit goes back at once.
   */
  @inject()
  async cancel({ params, bouncer, auth }: HttpContext, cancelPayment: CancelPayment) {
    const payment = await Payment.findOrFail(params.id)
    await bouncer.with('PaymentPolicy').authorize('cancel', payment)
    return { payment: presentPayment(await cancelPayment.handle(auth.getUserOrFail(), payment)) }
  }
}
