import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import BuyProduct from '#actions/orders/buy_product'
import RefundOrder from '#actions/orders/refund_order'
import Order from '#models/order'
import { buyProductValidator, refundOrderValidator } from '#validators/order'
import { presentOrder } from '#services/presenters'
import { readIdempotencyKey } from '#services/idempotency'
import VendingException from '#exceptions/vending_exception'

/**
 * Buying, refunding and watching orders. A shopper only ever sees and acts
 * on their own orders; someone else's order is a 404, as if it did not exist.
 */
export default class OrdersController {
  /**
   * POST /api/v1/products/:id/buy `{ machine, slot?, display_code? }` → 201 with the order
   * (200 when an Idempotency-Key replays an earlier one)
   */
  @inject()
  async buy({ params, request, response, auth }: HttpContext, buyProduct: BuyProduct) {
    const payload = await request.validateUsing(buyProductValidator)
    const idempotencyKey = await readIdempotencyKey(request)
    const { order, replayed } = await buyProduct.handle({
      user: auth.getUserOrFail(),
      productId: Number(params.id),
      machineCode: payload.machine,
      slotNumber: payload.slot,
      displayCode: payload.display_code,
      idempotencyKey,
    })
    return response.status(replayed ? 200 : 201).send({ order: presentOrder(order), replayed })
  }

  /**
   * POST /api/v1/products/:id/refund `{ order_id }`
   */
  @inject()
  async refund({ params, request, auth, bouncer }: HttpContext, refundOrder: RefundOrder) {
    const { order_id: orderId } = await request.validateUsing(refundOrderValidator)
    const order = await Order.findOrFail(orderId)
    await bouncer.with('OrderPolicy').authorize('view', order)
    if (order.productId !== Number(params.id)) {
      throw new VendingException('This order is not for this product.', {
        status: 422,
        code: 'order_product_mismatch',
        field: 'order_id',
      })
    }
    const refunded = await refundOrder.handle(
      order,
      auth.getUserOrFail().isAdmin ? 'admin' : 'shopper'
    )
    return { order: presentOrder(refunded) }
  }

  /**
   * GET /api/v1/orders — the shopper's orders, newest first (50 a page)
   */
  async index({ auth, request }: HttpContext) {
    const page = Math.max(1, Number.parseInt(request.input('page', '1'), 10) || 1)
    const orders = await Order.query()
      .where('user_id', auth.getUserOrFail().id)
      .orderBy('id', 'desc')
      .paginate(page, 50)
    return { data: orders.all().map(presentOrder), meta: { page, total: orders.total } }
  }

  /**
   * GET /api/v1/orders/:id — live status; poll it or watch `/orders`
   */
  async show({ params, bouncer }: HttpContext) {
    const order = await Order.findOrFail(params.id)
    await bouncer.with('OrderPolicy').authorize('view', order)
    return { order: presentOrder(order) }
  }
}
