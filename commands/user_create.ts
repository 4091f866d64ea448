import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { PANEL_ROLES } from '#enums/role'
import CreatePanelUser from '#actions/team/create_panel_user'
import { refusalLines } from '#exceptions/refusal_lines'

/**
 * `node ace user:create ops@example.com --role restocker` creates a panel
 * user (admin, restocker or viewer); the password is asked for (hidden)
 * unless given with --password.
 */
export default class UserCreate extends BaseCommand {
  static commandName = 'user:create'
  static description = 'Create a panel user (admin, restocker or viewer)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Email to log in with' })
  declare email: string

  @flags.string({ description: `Role: ${PANEL_ROLES.join(', ')}`, required: true })
  declare role: string

  @flags.string({ description: 'Password (12+ characters); asked for when omitted' })
  declare password?: string

  async run() {
    const password = this.password ?? (await this.prompt.secure('Password (12+ characters)'))
    const createPanelUser = await this.app.container.make(CreatePanelUser)
    try {
      const user = await createPanelUser.handle({ email: this.email, password, role: this.role })
      this.logger.success(`${user.role} ${user.email} created. Log in at /admin/login`)
    } catch (error) {
      const refusal = refusalLines(error)
      if (!refusal) throw error
      this.exitCode = 1
      refusal.forEach((line) => this.logger.error(line))
    }
  }
}
