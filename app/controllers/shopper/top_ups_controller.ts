import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import TopUpBalance from '#actions/wallet/top_up_balance'
import PaymentGateway from '#services/payment_gateway'
import { presentPayment } from '#services/presenters'
import { shopperTopUpValidator } from '#validators/shopper'
import { cardNeedsScript, wantsJson } from '#controllers/shopper/responses'

/**
 * Adding money to the wallet from the machine's page.
 */
export default class TopUpsController {
  /**
   * POST /m/:code/top_up `{ amount (rupees, e.g. "100" or "49.50"),
   * idempotency_key }`.
   *
   * Demo driver: credited at once, back to the page with a notice (a plain
   * form). Razorpay: the page's script gets `{ payment, checkout }` and
   * opens Razorpay Checkout; the wallet grows once the payment is confirmed
   * (`POST /m/:code/payments/verify` or the webhook). The same key twice
   * credits once.
   */
  @inject()
  async store(ctx: HttpContext, topUp: TopUpBalance, payments: PaymentGateway) {
    const { params, request, response, auth, session } = ctx
    if (cardNeedsScript(ctx, payments)) return
    const { amount, idempotency_key: key } = await request.validateUsing(shopperTopUpValidator)
    const outcome = await topUp.handle(auth.user!, amount, key)

    if (outcome.kind === 'checkout') {
      return { payment: presentPayment(outcome.payment), checkout: outcome.checkout }
    }
    // The amount, not a sentence: money is formatted in the view.
    session.flash('toppedUpPaise', outcome.transaction.amountPaise)
    if (wantsJson(ctx)) return { redirect: `/m/${encodeURIComponent(params.code)}` }
    return response.redirect().toRoute('shopper.machine', { code: params.code })
  }
}
