/*
| Admin panel: the team (panel users, roles, invitations)
*/
import router from '@adonisjs/core/services/router'
import { webMiddleware } from '#start/kernel'
import { panelRoutes } from '#routes/admin/panel'

const TeamController = () => import('#controllers/admin/team_controller')
const InvitationsController = () => import('#controllers/admin/invitations_controller')

panelRoutes(() => {
  const id = router.matchers.number()
  router.get('team', [TeamController, 'index']).as('admin.team.index')
  router.post('team/invitations', [TeamController, 'invite']).as('admin.team.invite')
  router
    .post('team/:id/role', [TeamController, 'changeRole'])
    .where('id', id)
    .as('admin.team.change_role')
  router
    .post('team/:id/deactivate', [TeamController, 'deactivate'])
    .where('id', id)
    .as('admin.team.deactivate')
  router
    .post('team/:id/reactivate', [TeamController, 'reactivate'])
    .where('id', id)
    .as('admin.team.reactivate')
})

// Public: whoever holds the emailed link's token may set the password once.
router
  .group(() => {
    router.get(':token', [InvitationsController, 'show']).as('admin.invitations.show')
    router.post(':token', [InvitationsController, 'accept']).as('admin.invitations.accept')
  })
  .prefix('/admin/invitations')
  .use(webMiddleware())
