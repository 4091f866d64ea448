import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { stringify } from 'csv-stringify'
import { DateTime } from 'luxon'
import { AWAITING_RESULT, OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import Machine from '#models/machine'
import Product from '#models/product'
import ListOrders, { ORDER_CSV_COLUMNS, type OrderFilters } from '#actions/orders/list_orders'
import OrderTimeline from '#actions/orders/order_timeline'
import AdminRefundOrder from '#actions/orders/admin_refund_order'
import { adminOrdersFilterValidator } from '#validators/admin_orders'
import { filledQuery } from '#services/filter_query'

/**
 * Orders in the panel: the filtered list and its CSV export, one order's
 * timeline, and the admin refund.
 */
export default class OrdersController {
  /**
   * GET /admin/orders?status&machine&product&shopper&from&to&page
   */
  @inject()
  async index({ request, view }: HttpContext, list: ListOrders) {
    const input = filledQuery(request.qs())
    const [error, valid] = await adminOrdersFilterValidator.tryValidate(input)
    const { page = 1, ...filters } = valid ?? {}

    const orders = await list.page(filters, page)
    orders.baseUrl(router.makeUrl('admin.orders.index')).queryString(filters)
    const exportQuery = new URLSearchParams(filters as Record<string, string>).toString()

    return view.render('pages/admin/orders/index', {
      title: 'Orders',
      active: 'orders',
      orders,
      filters: error ? {} : filters,
      form: input,
      filterErrors: error ? (error.messages as { field: string; message: string }[]) : [],
      exportUrl: `${router.makeUrl('admin.orders.export')}${exportQuery ? `?${exportQuery}` : ''}`,
      statuses: Object.values(OrderStatus),
      machines: await Machine.query().select('id', 'code', 'name').orderBy('code'),
      products: await Product.query().select('id', 'name').orderBy('name'),
    })
  }

  /**
   * GET /admin/orders.csv — the list's filters, every matching order.
   */
  @inject()
  async export({ request, response }: HttpContext, list: ListOrders) {
    // The list's `page` comes along and is ignored: ListOrders reads only the
    // named filters, and the export has every matching order.
    const filters: OrderFilters = await adminOrdersFilterValidator.validate(
      filledQuery(request.qs())
    )
    const filename = `orders-${DateTime.now().toFormat('yyyyLLdd-HHmmss')}.csv`
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header('Content-Disposition', `attachment; filename="${filename}"`)
    response.header('Cache-Control', 'no-store')
    const csv = stringify({ header: true, columns: [...ORDER_CSV_COLUMNS] })
    response.stream(Readable.from(list.csvRows(filters)).pipe(csv))
  }

  /**
   * GET /admin/orders/:id — the order and its timeline.
   */
  @inject()
  async show({ params, view }: HttpContext, timeline: OrderTimeline) {
    const order = await this.findOrder(params.id)
    return view.render('pages/admin/orders/show', {
      title: `Order #${order.id}`,
      active: 'orders',
      order,
      ...(await timeline.handle(order)),
      refundable: this.refundable(order),
    })
  }

  /**
   * GET /admin/orders/:id/refund — the confirmation step.
   */
  async confirmRefund({ params, view, response, session }: HttpContext) {
    const order = await this.findOrder(params.id)
    if (order.status === OrderStatus.Refunded) {
      session.flash('error', `Order #${order.id} was already refunded.`)
      return response.redirect().toRoute('admin.orders.show', { id: order.id })
    }
    if (!this.refundable(order)) {
      session.flash('error', 'A test vend is free: there is nothing to refund.')
      return response.redirect().toRoute('admin.orders.show', { id: order.id })
    }
    return view.render('pages/admin/orders/refund', {
      title: `Refund order #${order.id}`,
      active: 'orders',
      order,
    })
  }

  /**
   * POST /admin/orders/:id/refund
   */
  @inject()
  async refund(ctx: HttpContext, adminRefund: AdminRefundOrder) {
    const { params, auth, response, session } = ctx
    const order = await this.findOrder(params.id)
    // Refused (already refunded...): to the order, not back to the confirmation.
    ctx.formRefusal = { redirectTo: router.makeUrl('admin.orders.show', { id: order.id }) }
    const outcome = await adminRefund.handle(order.id, auth.user!)
    session.flash(
      'notice',
      outcome === 'cancelled'
        ? order.isTest
          ? `Test vend #${order.id} was cancelled.`
          : `Order #${order.id} was cancelled and refunded to ${order.user.username}.`
        : `Order #${order.id} was refunded to ${order.user.username}.`
    )
    return response.redirect().toRoute('admin.orders.show', { id: order.id })
  }

  /**
   * Whether the panel offers a refund (or, awaiting a result, a cancel):
   * not for a refunded order, and for a test vend, which was free, only
   * the cancel of one stuck awaiting its result (`AdminRefundOrder`).
   */
  protected refundable(order: Order): boolean {
    if (order.status === OrderStatus.Refunded) return false
    return !order.isTest || AWAITING_RESULT.includes(order.status)
  }

  protected findOrder(id: unknown) {
    return Order.query()
      .where('id', Number(id) || 0)
      .preload('user')
      .preload('machine')
      .preload('product')
      .firstOrFail()
  }
}
