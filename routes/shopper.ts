/*
|--------------------------------------------------------------------------
| The shopper's page at a machine
|--------------------------------------------------------------------------
|
| What a machine's QR code opens. An anonymous shopper on the `shopper`
| session guard (created on the first visit by the `shopper` middleware).
| Forms are CSRF-protected and work without JavaScript; the JSON answers
| (Accept: application/json) serve the page's script for Razorpay Checkout.
| Errors: a flash message on the page for forms, `{ errors: [...] }` for
| JSON (app/exceptions/handler.ts).
*/
import router from '@adonisjs/core/services/router'
import { middleware, webMiddleware } from '#start/kernel'
import { throttleBuys, throttleTopUps } from '#start/limiter'

const MachinePageController = () => import('#controllers/shopper/machine_page_controller')
const PurchasesController = () => import('#controllers/shopper/purchases_controller')
const TopUpsController = () => import('#controllers/shopper/top_ups_controller')
const PaymentsController = () => import('#controllers/shopper/payments_controller')
const OrdersController = () => import('#controllers/shopper/orders_controller')

router
  .group(() => {
    router.get(':code', [MachinePageController, 'show']).as('shopper.machine')
    router.post(':code/done', [MachinePageController, 'release']).as('shopper.done')

    router.post(':code/buy', [PurchasesController, 'buy']).as('shopper.buy').use(throttleBuys)
    router.post(':code/pay', [PurchasesController, 'pay']).as('shopper.pay').use(throttleBuys)
    router
      .post(':code/top_up', [TopUpsController, 'store'])
      .as('shopper.top_up')
      .use(throttleTopUps)

    router
      .post(':code/payments/verify', [PaymentsController, 'verify'])
      .as('shopper.payments.verify')
    router
      .post(':code/payments/:id/cancel', [PaymentsController, 'cancel'])
      .where('id', router.matchers.number())
      .as('shopper.payments.cancel')

    router
      .get(':code/orders/:id', [OrdersController, 'show'])
      .where('id', router.matchers.number())
      .as('shopper.order')
    router
      .get(':code/orders/:id/status', [OrdersController, 'status'])
      .where('id', router.matchers.number())
      .as('shopper.order.status')
    router
      .post(':code/orders/:id/refund', [OrdersController, 'refund'])
      .where('id', router.matchers.number())
      .as('shopper.order.refund')
    router
      .post(':code/orders/:id/feedback', [OrdersController, 'feedback'])
      .where('id', router.matchers.number())
      .as('shopper.order.feedback')
  })
  .prefix('/m')
  .use([...webMiddleware(), middleware.shopper()])
