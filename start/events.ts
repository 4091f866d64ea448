/*
|--------------------------------------------------------------------------
| Event listeners
|--------------------------------------------------------------------------
*/
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import DeviceGateway from '#services/device_gateway'

/*
 * Shoppers watching `/orders` see every change of their orders live, and
 * admin dashboards refresh their figures.
 */
emitter.on('order:updated', async (update) => {
  const gateway = await app.container.make(DeviceGateway)
  gateway.notifyOrder(update)
  gateway.notifyFleet()
})

/*
 * Money owed back to a card is sent to the provider as soon as the refund
 * is committed; a failure leaves it pending for the vend sweeper to retry.
 */
emitter.on('payment:refund_due', async ({ paymentId }) => {
  const { default: IssueCardRefund } = await import('#actions/payments/issue_card_refund')
  const issue = await app.container.make(IssueCardRefund)
  await issue.handle(paymentId).catch((error) => logger.error({ err: error, paymentId }, 'card refund failed; will retry'))
})
