import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import AcceptInvitation from '#actions/team/accept_invitation'
import { acceptInvitationValidator } from '#validators/team'

/**
 * The invitation link's page (public: the token is the credential): choose
 * a password, become a panel user, and be signed in.
 */
export default class InvitationsController {
  /**
   * GET /admin/invitations/:token — the password form, or why the link
   * no longer works (404).
   */
  @inject()
  async show({ params, view, response }: HttpContext, accept: AcceptInvitation) {
    const invitation = await accept.find(String(params.token))
    if (!invitation) {
      response.status(404)
      return view.render('pages/admin/invitations/show', {
        title: 'Invitation',
        invitation: null,
        invalid: AcceptInvitation.INVALID_MESSAGE,
      })
    }
    return view.render('pages/admin/invitations/show', {
      title: 'Invitation',
      invitation,
      token: params.token,
    })
  }

  /**
   * POST /admin/invitations/:token
   */
  @inject()
  async accept(
    { params, request, response, auth, session }: HttpContext,
    accept: AcceptInvitation
  ) {
    const { password } = await request.validateUsing(acceptInvitationValidator)
    const user = await accept.handle(String(params.token), password)
    await auth.use('web').login(user)
    session.flash('notice', `Welcome to the team, ${user.email}.`)
    return response.redirect().toRoute('admin.dashboard')
  }
}
