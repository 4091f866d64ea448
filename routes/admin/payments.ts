/*
| Admin panel: Razorpay payments and webhook deliveries (read-only)
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const PaymentsController = () => import('#controllers/admin/payments_controller')

panelRoutes(() => {
  router.get('payments', [PaymentsController, 'index']).as('admin.payments.index')
  router.get('payments/events', [PaymentsController, 'events']).as('admin.payments.events')
  router
    .get('payments/:id', [PaymentsController, 'show'])
    .where('id', router.matchers.number())
    .as('admin.payments.show')
})
