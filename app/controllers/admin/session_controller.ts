import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import env from '#start/env'
import User from '#models/user'
import { adminLoginValidator } from '#validators/admin'

/**
 * Operator login and logout (session guard `web`).
 */
export default class SessionController {
  /**
   * GET /admin/login
   */
  async create({ view, auth, response }: HttpContext) {
    if (await auth.use('web').check()) return response.redirect().toRoute('admin.dashboard')
    return view.render('pages/admin/login', { title: 'Log in' })
  }

  /**
   * POST /admin/login — a wrong email or password, or a shopper's account,
   * gets the same message, so the form reveals nothing about accounts.
   */
  async store({ request, auth, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(adminLoginValidator)

    // Failed attempts count per email and address; a success clears them.
    const throttle = limiter.use({
      requests: env.get('LOGIN_MAX_ATTEMPTS', 5),
      duration: '15 mins',
      blockDuration: '15 mins',
    })
    const [throttled, user] = await throttle
      .penalize(`admin_login_${email.toLowerCase()}_${request.ip()}`, async () => {
        const found = await User.verifyCredentials(email, password)
        // A shopper's or a deactivated account fails like a wrong password.
        if (!found.isActivePanelUser) throw new Error('not a panel user')
        return found
      })
      .catch(() => [null, null] as const)

    if (throttled) {
      session.flashOnly(['email'])
      session.flash(
        'error',
        `Too many failed logins. Try again in ${Math.ceil(throttled.response.availableIn / 60)} minutes.`
      )
      return response.redirect().back()
    }
    if (!user) {
      session.flashOnly(['email'])
      session.flash('error', 'Wrong email or password.')
      return response.redirect().back()
    }
    await auth.use('web').login(user)
    return response.redirect().toRoute('admin.dashboard')
  }

  /**
   * POST /admin/logout
   */
  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.flash('notice', 'You are logged out.')
    return response.redirect().toRoute('admin.login')
  }
}
