import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'

/**
 * Who may see or fund a shopper account: its owner; admins may look.
 */
export default class UserPolicy extends BasePolicy {
  view(actor: User, user: User): AuthorizerResponse {
    return actor.id === user.id || actor.isAdmin
  }

  /**
   * Only the owner tops up their own wallet through the API; admins
   * correct balances with ledger adjustments instead.
   */
  topUp(actor: User, user: User): AuthorizerResponse {
    return actor.id === user.id
  }
}
