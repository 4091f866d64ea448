/*
|--------------------------------------------------------------------------
| Event listeners
|--------------------------------------------------------------------------
*/
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
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
