import emitter from '@adonisjs/core/services/emitter'
import type Order from '#models/order'
import { presentOrder } from '#services/presenters'

/**
 * Payload of the `order:updated` event: the order as the API shows it,
 * frozen at the moment of the change (listeners run later, when the model
 * may already have moved on), and its owner.
 */
export interface OrderUpdate {
  userId: number
  order: ReturnType<typeof presentOrder>
}

/**
 * Announces an order's new state to listeners (the shopper's live socket).
 * Call after the change is committed.
 */
export function announceOrderUpdate(order: Order): void {
  emitter.emit('order:updated', { userId: order.userId, order: presentOrder(order) })
}
