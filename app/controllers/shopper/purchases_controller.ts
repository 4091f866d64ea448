import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import BuyProduct from '#actions/orders/buy_product'
import StartVendPayment from '#actions/payments/start_vend_payment'
import PaymentGateway from '#services/payment_gateway'
import { presentPayment } from '#services/presenters'
import { shopperBuyValidator } from '#validators/shopper'
import { cardNeedsScript, wantsJson } from '#controllers/shopper/responses'

/**
 * Buying one item from the machine's page, with the wallet or paid per
 * vend. Every buy claims (or extends) the shopper's session on the machine
 * (`claimSession`), so nobody else's vend can mix with theirs.
 * Refusals (sold out, balance short, wrong display code, machine busy or
 * offline) come back as a message on the page (app/exceptions/handler.ts).
 */
export default class PurchasesController {
  /**
   * POST /m/:code/buy `{ item: "<product id>:<slot>", display_code?,
   * idempotency_key }` → the order's live page. A plain form: works
   * without JavaScript; the same key twice buys once.
   */
  @inject()
  async buy(ctx: HttpContext, buyProduct: BuyProduct) {
    const { params, response } = ctx
    const { order } = await buyProduct.handle(await this.unitRequest(ctx))
    return response.redirect().toRoute('shopper.order', { code: params.code, id: order.id })
  }

  /**
   * POST /m/:code/pay (same fields): pay for one item by card.
   *
   * Demo driver: paid at once, → the order's page (a plain form). Razorpay:
   * the page's script asks for JSON and gets `{ payment, checkout }` to open
   * Razorpay Checkout with (the unit is held meanwhile), or `{ redirect }`
   * when the key replays a payment already made. Without JavaScript there
   * is no Checkout: the form comes back with a message instead.
   */
  @inject()
  async pay(ctx: HttpContext, startVendPayment: StartVendPayment, payments: PaymentGateway) {
    const { params, response } = ctx
    if (cardNeedsScript(ctx, payments)) return
    const outcome = await startVendPayment.handle(await this.unitRequest(ctx))

    if (outcome.kind === 'checkout') {
      return { payment: presentPayment(outcome.payment), checkout: outcome.checkout }
    }
    const orderUrl = router.makeUrl('shopper.order', { code: params.code, id: outcome.order.id })
    return wantsJson(ctx)
      ? { payment: presentPayment(outcome.payment), redirect: orderUrl }
      : response.redirect(orderUrl)
  }

  /**
   * The product form as a buy request: always claiming the shopper's
   * session on the machine; the client's address counts a card payment's
   * hold (`StartVendPayment`).
   */
  protected async unitRequest({ params, request, auth }: HttpContext) {
    const payload = await request.validateUsing(shopperBuyValidator)
    return {
      user: auth.user!,
      productId: payload.item.productId,
      slotNumber: payload.item.slot,
      machineCode: String(params.code),
      displayCode: payload.display_code,
      claimSession: true,
      idempotencyKey: payload.idempotency_key,
      clientIp: request.ip(),
    }
  }
}
