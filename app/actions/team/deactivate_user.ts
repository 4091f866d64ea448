import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import VendingException from '#exceptions/vending_exception'
import { findTeamMember, keepAnActiveAdmin } from '#actions/team/team_rules'

/**
 * Switches a panel user off: they cannot sign in, their session ends on
 * their next request (`PanelAccessMiddleware`), their API tokens and
 * remember-me tokens are deleted, and after commit their live pages'
 * sockets are closed (`user:deactivated`). Audited as `user.deactivated`.
 */
@inject()
export default class DeactivateUser {
  constructor(protected audit: AuditTrail) {}

  /**
   * @throws VendingException `not_found` (404), `cannot_deactivate_self`
   *   (409), `last_admin` (409)
   */
  async handle(actor: User, userId: number): Promise<User> {
    if (actor.id === userId) {
      throw new VendingException('You cannot deactivate yourself.', {
        status: 409,
        code: 'cannot_deactivate_self',
      })
    }
    const user = await db.transaction(async (trx) => {
      const target = await findTeamMember(userId, trx)
      if (target.deactivatedAt) return target
      await keepAnActiveAdmin(target, trx)
      target.deactivatedAt = DateTime.now()
      await target.useTransaction(trx).save()
      await trx.from('auth_access_tokens').where('tokenable_id', target.id).delete()
      await trx.from('remember_me_tokens').where('tokenable_id', target.id).delete()
      await this.audit.record(
        {
          actor,
          action: 'user.deactivated',
          subjectType: 'user',
          subjectId: target.id,
          before: { email: target.email, role: target.role, active: true },
          after: { active: false },
        },
        trx
      )
      trx.after('commit', () => void emitter.emit('user:deactivated', { userId: target.id }))
      return target
    })
    return user
  }
}
