import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Payment from '#models/payment'

/**
 * A shopper sees and cancels their own payments only; someone else's
 * payment answers 404, as if it did not exist.
 */
export default class PaymentPolicy extends BasePolicy {
  view(actor: User, payment: Payment): AuthorizerResponse {
    if (actor.id === payment.userId || actor.isAdmin) return true
    return AuthorizationResponse.deny('Payment not found', 404)
  }

  cancel(actor: User, payment: Payment): AuthorizerResponse {
    if (actor.id === payment.userId) return true
    return AuthorizationResponse.deny('Payment not found', 404)
  }
}
