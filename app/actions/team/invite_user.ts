import { createHash, randomBytes } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import type { PanelRole } from '#enums/role'
import User from '#models/user'
import UserInvitation from '#models/user_invitation'
import AuditTrail from '#services/audit_trail'
import { publicBaseUrl } from '#services/public_url'
import VendingException from '#exceptions/vending_exception'

/**
 * How long an invitation link works: 7 days.
 */
export const INVITATION_TTL_DAYS = 7

/**
 * SHA-256 (hex) of an invitation token: what `user_invitations.token_hash`
 * stores, so a leaked database row cannot be turned into a working link.
 */
export function invitationTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * An admin invites someone to the panel team by email with a role. The
 * email holds a link `<APP_URL>/admin/invitations/<token>`: a random
 * 32-byte token, stored only hashed, usable once, for
 * `INVITATION_TTL_DAYS` days (`AcceptInvitation`). A random stored token
 * rather than a signed URL because the link must also stop working once
 * used. Inviting the same email again sends a new link and closes the
 * older ones. Audited as `user.invited`.
 */
@inject()
export default class InviteUser {
  constructor(protected audit: AuditTrail) {}

  /**
   * @param input validated `{ email, role }`
   * @returns the invitation and its link (the only time the token exists
   *   in clear, besides the email)
   * @throws VendingException `email_taken` (409) when an account has the email
   * @throws the mailer's error when the SMTP server refuses; nothing is kept then
   */
  async handle(
    actor: User,
    input: { email: string; role: PanelRole }
  ): Promise<{ invitation: UserInvitation; link: string }> {
    if (await User.findBy('email', input.email)) {
      throw new VendingException('An account with this email already exists.', {
        status: 409,
        code: 'email_taken',
        field: 'email',
      })
    }
    const token = randomBytes(32).toString('base64url')
    const link = `${publicBaseUrl()}/admin/invitations/${token}`
    const expiresAt = DateTime.now().plus({ days: INVITATION_TTL_DAYS })

    // Sent inside the transaction: a mail that cannot go out leaves no
    // invitation behind, and the admin sees the failure and retries.
    const invitation = await db.transaction(async (trx) => {
      await UserInvitation.query({ client: trx })
        .where('email', input.email)
        .whereNull('accepted_at')
        .update({ expires_at: DateTime.now().toSQL() })
      const created = await UserInvitation.create(
        {
          email: input.email,
          role: input.role,
          tokenHash: invitationTokenHash(token),
          invitedBy: actor.id,
          expiresAt,
        },
        { client: trx }
      )
      await this.audit.record(
        {
          actor,
          action: 'user.invited',
          subjectType: 'user_invitation',
          subjectId: created.id,
          after: { email: input.email, role: input.role },
        },
        trx
      )
      const data = {
        inviter: actor.email,
        role: input.role,
        link,
        expires: expiresAt.toFormat('dd LLL yyyy, HH:mm'),
      }
      await mail.send((message) => {
        message
          .to(input.email)
          .subject('You are invited to the Vendora panel')
          .textView('emails/invitation_text', data)
          .htmlView('emails/invitation_html', data)
      })
      return created
    })
    return { invitation, link }
  }
}
