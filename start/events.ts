/*
|--------------------------------------------------------------------------
| Event listeners
|--------------------------------------------------------------------------
|
| Lazy listeners: each class is imported on the first event it handles and
| made by the container.
*/
import emitter from '@adonisjs/core/services/emitter'

const RealtimeListener = () => import('#listeners/realtime_listener')
const CardRefundListener = () => import('#listeners/card_refund_listener')

/*
 * Committed changes reach live pages: shoppers watching `/orders` see their
 * orders and the machines they watch, admin dashboards refresh their
 * figures and communication monitors.
 */
emitter.on('order:updated', [RealtimeListener, 'orderUpdated'])
emitter.on('fleet:changed', [RealtimeListener, 'fleetChanged'])
emitter.on('machine:status', [RealtimeListener, 'machineStatus'])
emitter.on('machine:event', [RealtimeListener, 'machineEvent'])
emitter.on('rollout:changed', [RealtimeListener, 'rolloutChanged'])
emitter.on('user:deactivated', [RealtimeListener, 'userDeactivated'])

emitter.on('payment:refund_due', [CardRefundListener, 'refundDue'])
