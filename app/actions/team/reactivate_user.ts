import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { findTeamMember } from '#actions/team/team_rules'

/**
 * Switches a deactivated panel user back on; they sign in again with
 * their password. Audited as `user.reactivated`.
 */
@inject()
export default class ReactivateUser {
  constructor(protected audit: AuditTrail) {}

  /**
   * @throws VendingException `not_found` (404)
   */
  async handle(actor: User, userId: number): Promise<User> {
    return db.transaction(async (trx) => {
      const target = await findTeamMember(userId, trx)
      if (!target.deactivatedAt) return target
      target.deactivatedAt = null
      await target.useTransaction(trx).save()
      await this.audit.record(
        {
          actor,
          action: 'user.reactivated',
          subjectType: 'user',
          subjectId: target.id,
          before: { active: false },
          after: { email: target.email, role: target.role, active: true },
        },
        trx
      )
      return target
    })
  }
}
