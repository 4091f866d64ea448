import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Order from '#models/order'

/**
 * A shopper sees and acts on their own orders only. Someone else's order
 * answers 404, so order ids reveal nothing.
 */
export default class OrderPolicy extends BasePolicy {
  view(actor: User, order: Order): AuthorizerResponse {
    if (actor.id === order.userId || actor.isAdmin) return true
    return AuthorizationResponse.deny('Order not found', 404)
  }
}
