import { inject } from '@adonisjs/core'
import { Role } from '#enums/role'
import type User from '#models/user'
import CreatePanelUser from '#actions/team/create_panel_user'

/**
 * Creates an admin: `CreatePanelUser` with role `admin` (`node ace
 * admin:create`, kept for operators' scripts).
 */
@inject()
export default class CreateAdmin {
  constructor(protected createPanelUser: CreatePanelUser) {}

  /**
   * @param input `{ email, password }`; the password needs 12+ characters
   * @throws the VineJS validation error for a bad email or short password
   * @throws VendingException `email_taken` (409) when the email is in use
   */
  handle(input: { email: unknown; password: unknown }): Promise<User> {
    return this.createPanelUser.handle({ ...input, role: Role.Admin })
  }
}
