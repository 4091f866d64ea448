import type { HttpContext } from '@adonisjs/core/http'
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
    if (await auth.use('web').check()) return response.redirect('/admin')
    return view.render('pages/admin/login', { title: 'Log in' })
  }

  /**
   * POST /admin/login — a wrong email or password, or a shopper's account,
   * gets the same message, so the form reveals nothing about accounts.
   */
  async store({ request, auth, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(adminLoginValidator)
    let user: User
    try {
      user = await User.verifyCredentials(email, password)
    } catch {
      session.flashOnly(['email'])
      session.flash('error', 'Wrong email or password.')
      return response.redirect().back()
    }
    if (!user.isAdmin) {
      session.flashOnly(['email'])
      session.flash('error', 'Wrong email or password.')
      return response.redirect().back()
    }
    await auth.use('web').login(user)
    return response.redirect('/admin')
  }

  /**
   * POST /admin/logout
   */
  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.flash('notice', 'You are logged out.')
    return response.redirect('/admin/login')
  }
}
