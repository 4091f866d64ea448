/*
| Admin panel: orders
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const OrdersController = () => import('#controllers/admin/orders_controller')

panelRoutes(() => {
  router.get('orders', [OrdersController, 'index']).as('admin.orders.index')
  // Before `orders/:id`, which would otherwise take "orders.csv"... as an id.
  router.get('orders.csv', [OrdersController, 'export']).as('admin.orders.export')
  router
    .get('orders/:id', [OrdersController, 'show'])
    .where('id', router.matchers.number())
    .as('admin.orders.show')
  router
    .get('orders/:id/refund', [OrdersController, 'confirmRefund'])
    .where('id', router.matchers.number())
    .as('admin.orders.confirm_refund')
  router
    .post('orders/:id/refund', [OrdersController, 'refund'])
    .where('id', router.matchers.number())
    .as('admin.orders.refund')
})
