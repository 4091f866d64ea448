import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PanelRole } from '#enums/role'
import User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { createPanelUserValidator } from '#validators/team'
import VendingException from '#exceptions/vending_exception'

/**
 * Creates a panel user (admin, restocker or viewer). The only ways one
 * comes to exist: `node ace user:create` / `admin:create`, an accepted
 * invitation (`AcceptInvitation`), and the demo seed; there is no open
 * registration page. Audited as `user.created`.
 */
@inject()
export default class CreatePanelUser {
  constructor(protected audit: AuditTrail) {}

  /**
   * @param input `{ email, password, role }`; the password needs 12+
   *   characters, the role is one of `PANEL_ROLES`
   * @param actor who creates the account (null: the command line)
   * @param trx the caller's transaction, if any
   * @throws the VineJS validation error for a bad email, role or short password
   * @throws VendingException `email_taken` (409) when the email is in use
   */
  async handle(
    input: { email: unknown; password: unknown; role: unknown },
    actor: User | null = null,
    trx?: TransactionClientContract
  ): Promise<User> {
    const { email, password, role } = await createPanelUserValidator.validate(input)
    if (await User.query({ client: trx }).where('email', email).first()) {
      throw new VendingException('An account with this email already exists.', {
        status: 409,
        code: 'email_taken',
        field: 'email',
      })
    }
    const user = await User.create(
      {
        email,
        password,
        role: role as PanelRole,
        username: `${role}-${email.split('@')[0]}`.slice(0, 64),
        balancePaise: 0,
      },
      { client: trx }
    )
    await this.audit.record(
      {
        actor,
        action: 'user.created',
        subjectType: 'user',
        subjectId: user.id,
        after: { email, role },
      },
      trx
    )
    return user
  }
}
