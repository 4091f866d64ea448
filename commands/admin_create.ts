import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import CreateAdmin from '#actions/admins/create_admin'
import { refusalLines } from '#exceptions/refusal_lines'

/**
 * `node ace admin:create --email ops@example.com` creates an operator
 * account; the password is asked for unless given with --password.
 */
export default class AdminCreate extends BaseCommand {
  static commandName = 'admin:create'
  static description = 'Create an admin (operator) account for the panel'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email to log in with' })
  declare email?: string

  @flags.string({ description: 'Password (12+ characters); asked for when omitted' })
  declare password?: string

  async run() {
    const email = this.email ?? (await this.prompt.ask('Email'))
    const password = this.password ?? (await this.prompt.secure('Password (12+ characters)'))
    const createAdmin = await this.app.container.make(CreateAdmin)
    try {
      const admin = await createAdmin.handle({ email, password })
      this.logger.success(`Admin ${admin.email} created. Log in at /admin/login`)
    } catch (error) {
      const refusal = refusalLines(error)
      if (!refusal) throw error
      this.exitCode = 1
      refusal.forEach((line) => this.logger.error(line))
    }
  }
}
