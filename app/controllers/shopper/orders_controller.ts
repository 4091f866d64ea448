import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { issueLiveTicket } from '#services/live_tickets'
import Order from '#models/order'
import Payment from '#models/payment'
import type User from '#models/user'
import RefundOrder from '#actions/orders/refund_order'
import LeaveFeedback from '#actions/orders/leave_feedback'
import OrderFeedback from '#models/order_feedback'
import { orderFeedbackValidator } from '#validators/feedback'

/**
 * One order's live progress on the shopper's page: paid → sent
 * to the machine → dropped, or failed → refunded, and the shopper's refund.
 */
export default class OrdersController {
  /**
   * GET /m/:code/orders/:id. Kept live by `public/js/shopper.js` over the
   * `/orders` socket (`order_updated`), which authenticates with the
   * encrypted ticket rendered here; without JavaScript the page refreshes
   * itself every few seconds until the order settles.
   */
  async show(ctx: HttpContext) {
    const { auth, view } = ctx
    const order = await this.findOrder(ctx)
    const liveTicket = issueLiveTicket(auth.user!.id, 'shopper-live')
    return view.render('pages/shopper/order', {
      title: `Order #${order.id}`,
      ...(await this.statusProps(order, auth.user!)),
      liveTicket,
    })
  }

  /**
   * GET /m/:code/orders/:id/status — the progress panel alone, as HTML,
   * fetched by the page's script when the socket reports a change (so the
   * words for each outcome live in one template).
   */
  async status(ctx: HttpContext) {
    const order = await this.findOrder(ctx)
    return ctx.view.render(
      'components/shopper/order_status',
      await this.statusProps(order, ctx.auth.user!)
    )
  }

  /**
   * POST /m/:code/orders/:id/refund — the shopper's refund of a completed
   * order of a refundable product, within the window (`RefundOrder`
   * decides; a refusal comes back as a message on the page).
   */
  @inject()
  async refund(ctx: HttpContext, refundOrder: RefundOrder) {
    const { params, session, response } = ctx
    const order = await this.findOrder(ctx)
    await refundOrder.handle(order, 'shopper')
    session.flash('notice', order.paymentId ? 'Refunded to your card.' : 'Refunded to your wallet.')
    return response.redirect().toRoute('shopper.order', { code: params.code, id: order.id })
  }

  /**
   * POST /m/:code/orders/:id/feedback `rating`, `comment` — the shopper's
   * optional rating of a settled order (`LeaveFeedback` decides; bad input
   * comes back as field errors, a refusal as a message on the page).
   */
  @inject()
  async feedback(ctx: HttpContext, leaveFeedback: LeaveFeedback) {
    const { params, request, session, response } = ctx
    const order = await this.findOrder(ctx)
    const payload = await request.validateUsing(orderFeedbackValidator)
    await leaveFeedback.handle(ctx.auth.user!, order.id, payload)
    session.flash('notice', 'Thanks for your feedback!')
    return response.redirect().toRoute('shopper.order', { code: params.code, id: order.id })
  }

  /**
   * The shopper's own order at this machine, with its product and machine.
   *
   * @throws 404 for an unknown order, someone else's (OrderPolicy: it must
   *   look as if it did not exist) or one from another machine
   */
  protected async findOrder({ params, bouncer }: HttpContext): Promise<Order> {
    const order = await Order.query()
      .where('id', params.id)
      .preload('product')
      .preload('machine')
      .first()
    // Not `authorize`: its denial answers in plain text, and a shopper
    // should get the page's own 404.
    if (
      !order ||
      order.machine.code !== params.code ||
      (await bouncer.with('OrderPolicy').denies('view', order))
    ) {
      throw new Exception('Order not found.', { status: 404, code: 'E_NOT_FOUND' })
    }
    return order
  }

  /**
   * What the progress panel shows. `refundable` decides whether the
   * Refund button is offered, by `RefundOrder`'s own rule; `rateable`
   * whether the rating form is, by `LeaveFeedback`'s, and `feedback` is
   * the shopper's rating once given.
   */
  protected async statusProps(order: Order, shopper: User) {
    const payment = order.paymentId ? await Payment.find(order.paymentId) : null
    await shopper.refresh()
    const refundable = RefundOrder.shopperRefusal(order, order.product) === null
    const feedback = await OrderFeedback.findBy('order_id', order.id)
    const rateable = !feedback && (await LeaveFeedback.refusal(order)) === null
    return {
      feedback,
      rateable,
      order,
      product: order.product,
      machine: order.machine,
      payment,
      balancePaise: shopper.balancePaise,
      refundable,
    }
  }
}
