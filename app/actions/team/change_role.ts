import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { PanelRole } from '#enums/role'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import VendingException from '#exceptions/vending_exception'
import { findTeamMember, keepAnActiveAdmin } from '#actions/team/team_rules'

/**
 * Gives a panel user another role; it applies from their next request.
 * An admin cannot change their own role (another admin must), and the last
 * active admin stays an admin. Audited as `user.role_changed`.
 */
@inject()
export default class ChangeRole {
  constructor(protected audit: AuditTrail) {}

  /**
   * @throws VendingException `not_found` (404), `cannot_change_own_role`
   *   (409), `last_admin` (409)
   */
  async handle(actor: User, userId: number, role: PanelRole): Promise<User> {
    if (actor.id === userId) {
      throw new VendingException('Another admin must change your role.', {
        status: 409,
        code: 'cannot_change_own_role',
        field: 'role',
      })
    }
    return db.transaction(async (trx) => {
      const target = await findTeamMember(userId, trx)
      if (target.role === role) return target
      await keepAnActiveAdmin(target, trx)
      const before = target.role
      target.role = role
      await target.useTransaction(trx).save()
      await this.audit.record(
        {
          actor,
          action: 'user.role_changed',
          subjectType: 'user',
          subjectId: target.id,
          before: { email: target.email, role: before },
          after: { role },
        },
        trx
      )
      return target
    })
  }
}
