import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import UserInvitation from '#models/user_invitation'
import CreatePanelUser from '#actions/team/create_panel_user'
import { invitationTokenHash } from '#actions/team/invite_user'
import VendingException from '#exceptions/vending_exception'

/**
 * Opens and uses invitation links (`InviteUser`).
 */
@inject()
export default class AcceptInvitation {
  constructor(protected createPanelUser: CreatePanelUser) {}

  /**
   * The open invitation of `token`; null for an unknown, used or expired link.
   */
  async find(token: string): Promise<UserInvitation | null> {
    const invitation = await UserInvitation.findBy('token_hash', invitationTokenHash(token))
    return invitation?.isOpen() ? invitation : null
  }

  /**
   * Creates the invited panel user with `password` (12+ characters) and
   * marks the invitation used, in one transaction: a link works once.
   *
   * @throws VendingException `invitation_invalid` (404), `email_taken` (409)
   * @throws the VineJS validation error for a short password
   */
  async handle(token: string, password: string): Promise<User> {
    return db.transaction(async (trx) => {
      const invitation = await UserInvitation.query({ client: trx })
        .where('token_hash', invitationTokenHash(token))
        .forUpdate()
        .first()
      if (!invitation?.isOpen()) throw this.invalid()
      invitation.acceptedAt = DateTime.now()
      await invitation.useTransaction(trx).save()
      return this.createPanelUser.handle(
        { email: invitation.email, password, role: invitation.role },
        null,
        trx
      )
    })
  }

  /** Why a link does not work, the same words for unknown, used and expired. */
  static readonly INVALID_MESSAGE =
    'This invitation link is expired or has already been used. Ask an admin for a new one.'

  protected invalid() {
    return new VendingException(AcceptInvitation.INVALID_MESSAGE, {
      status: 404,
      code: 'invitation_invalid',
    })
  }
}
