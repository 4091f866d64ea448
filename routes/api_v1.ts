/*
|--------------------------------------------------------------------------
| JSON API, version 1
|--------------------------------------------------------------------------
|
| Bearer tokens (`Authorization: Bearer vnd_...`) authenticate every call
| but shopper creation. Errors are `{ errors: [{ code, message, field? }] }`.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleBuys, throttleShopperCreation, throttleTopUps } from '#start/limiter'

const UsersController = () => import('#controllers/api/v1/users_controller')
const CatalogController = () => import('#controllers/api/v1/catalog_controller')
const OrdersController = () => import('#controllers/api/v1/orders_controller')
const PaymentsController = () => import('#controllers/api/v1/payments_controller')
const OrderFeedbackController = () => import('#controllers/api/v1/order_feedback_controller')
const RazorpayWebhooksController = () =>
  import('#controllers/webhooks/razorpay_webhooks_controller')

router
  .group(() => {
    // silentAuth first: a request whose token names a shopper is not a new one.
    router
      .post('users', [UsersController, 'store'])
      .use([middleware.silentAuth(), ...throttleShopperCreation])

    router
      .group(() => {
        router.get('users/me', [UsersController, 'me'])
        router
          .get('users/:id/balance', [UsersController, 'balance'])
          .where('id', router.matchers.number())
        router
          .post('users/:id/add_balance', [UsersController, 'addBalance'])
          .where('id', router.matchers.number())
          .use(throttleTopUps)

        router.get('machines', [CatalogController, 'machines'])
        router.get('machines/:code/products', [CatalogController, 'planogram'])
        router.get('products', [CatalogController, 'products'])

        router
          .post('products/:id/buy', [OrdersController, 'buy'])
          .where('id', router.matchers.number())
          .use(throttleBuys)
        router
          .post('products/:id/refund', [OrdersController, 'refund'])
          .where('id', router.matchers.number())
        router
          .post('products/:id/pay', [PaymentsController, 'pay'])
          .where('id', router.matchers.number())
          .use(throttleBuys)

        router.post('payments/verify', [PaymentsController, 'verify'])
        router
          .get('payments/:id', [PaymentsController, 'show'])
          .where('id', router.matchers.number())
        router
          .post('payments/:id/cancel', [PaymentsController, 'cancel'])
          .where('id', router.matchers.number())
        router.get('orders', [OrdersController, 'index'])
        router.get('orders/:id', [OrdersController, 'show']).where('id', router.matchers.number())
        router
          .post('orders/:id/feedback', [OrderFeedbackController, 'store'])
          .where('id', router.matchers.number())
      })
      .use(middleware.auth({ guards: ['api'] }))
  })
  .prefix('/api/v1')
  .use(middleware.forceJson())

/*
| Razorpay's webhook: signed with the webhook secret, no bearer token.
*/
router
  .post('/webhooks/razorpay', [RazorpayWebhooksController, 'handle'])
  .use(middleware.forceJson())
