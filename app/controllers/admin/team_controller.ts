import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { PANEL_ROLES } from '#enums/role'
import User from '#models/user'
import UserInvitation from '#models/user_invitation'
import InviteUser from '#actions/team/invite_user'
import ChangeRole from '#actions/team/change_role'
import DeactivateUser from '#actions/team/deactivate_user'
import ReactivateUser from '#actions/team/reactivate_user'
import { changeRoleValidator, inviteUserValidator } from '#validators/team'

/**
 * The panel team (admins only, `admin.team.*`): who has which role and
 * whether they are active, open invitations, and the forms to invite,
 * change a role, deactivate and reactivate. Rules live in
 * `#actions/team/*`.
 */
export default class TeamController {
  /**
   * GET /admin/team
   */
  async index({ view, auth }: HttpContext) {
    const members = await User.query()
      .whereIn('role', [...PANEL_ROLES])
      .orderBy('email', 'asc')
    const invitations = await UserInvitation.query()
      .whereNull('accepted_at')
      .where('expires_at', '>', new Date())
      .orderBy('id', 'desc')
    return view.render('pages/admin/team/index', {
      title: 'Team',
      active: 'team',
      members,
      invitations,
      roles: PANEL_ROLES,
      me: auth.user!.id,
    })
  }

  /**
   * POST /admin/team/invitations — mails the invitation link.
   */
  @inject()
  async invite({ request, response, session, auth }: HttpContext, inviteUser: InviteUser) {
    const input = await request.validateUsing(inviteUserValidator)
    await inviteUser.handle(auth.user!, input)
    session.flash('notice', `An invitation was sent to ${input.email}.`)
    return response.redirect().toRoute('admin.team.index')
  }

  /**
   * POST /admin/team/:id/role
   */
  @inject()
  async changeRole(
    { request, params, response, session, auth }: HttpContext,
    changeRole: ChangeRole
  ) {
    const { role } = await request.validateUsing(changeRoleValidator)
    const user = await changeRole.handle(auth.user!, Number(params.id), role)
    session.flash('notice', `${user.email} is now ${user.role}.`)
    return response.redirect().toRoute('admin.team.index')
  }

  /**
   * POST /admin/team/:id/deactivate
   */
  @inject()
  async deactivate({ params, response, session, auth }: HttpContext, deactivate: DeactivateUser) {
    const user = await deactivate.handle(auth.user!, Number(params.id))
    session.flash('notice', `${user.email} is deactivated and signed out.`)
    return response.redirect().toRoute('admin.team.index')
  }

  /**
   * POST /admin/team/:id/reactivate
   */
  @inject()
  async reactivate({ params, response, session, auth }: HttpContext, reactivate: ReactivateUser) {
    const user = await reactivate.handle(auth.user!, Number(params.id))
    session.flash('notice', `${user.email} is active again.`)
    return response.redirect().toRoute('admin.team.index')
  }
}
