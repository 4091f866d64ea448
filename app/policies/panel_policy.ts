import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { roleMayOpen } from '#policies/panel_access'

/**
 * Who may do what in the admin panel, by role (rules in
 * `app/policies/panel_access.ts`). A deactivated user may do nothing.
 */
export default class PanelPolicy extends BasePolicy {
  /**
   * May `actor` open the panel route named `routeName` with HTTP `method`?
   * Refused: 403.
   */
  open(actor: User, routeName: string | undefined, method = 'GET'): AuthorizerResponse {
    if (actor.isActivePanelUser && roleMayOpen(actor.role, routeName, method)) return true
    return AuthorizationResponse.deny('Your role may not open this page.', 403)
  }

  /**
   * A slot's price override is money: admins only. Restockers edit the
   * slot's other fields on the same form.
   */
  changePrice(actor: User): AuthorizerResponse {
    if (actor.isActivePanelUser && actor.isAdmin) return true
    return AuthorizationResponse.deny('Only an admin may change a price.', 403)
  }

  /**
   * Sales figures, prices, order totals: admins and viewers; restockers
   * work without money.
   */
  seeMoney(actor: User): AuthorizerResponse {
    return actor.isActivePanelUser && actor.seesMoney
  }
}
