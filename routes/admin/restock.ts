/*
| Admin panel: restock planning (pick list, routes, visits)
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const RestockController = () => import('#controllers/admin/restock_controller')
const RestockRoutesController = () => import('#controllers/admin/restock_routes_controller')

panelRoutes(() => {
  router.get('restock/pick-list', [RestockController, 'pickList']).as('admin.restock.pick_list')

  router
    .group(() => {
      router.get('/', [RestockRoutesController, 'index']).as('admin.restock.routes.index')
      router.get('create', [RestockRoutesController, 'create']).as('admin.restock.routes.create')
      router.post('/', [RestockRoutesController, 'store']).as('admin.restock.routes.store')
      router
        .get(':id/edit', [RestockRoutesController, 'edit'])
        .where('id', router.matchers.number())
        .as('admin.restock.routes.edit')
      router
        .post(':id', [RestockRoutesController, 'update'])
        .where('id', router.matchers.number())
        .as('admin.restock.routes.update')
      router
        .post(':id/delete', [RestockRoutesController, 'destroy'])
        .where('id', router.matchers.number())
        .as('admin.restock.routes.destroy')
    })
    .prefix('restock/routes')

  router
    .get('machines/:id/visit', [RestockController, 'showVisit'])
    .where('id', router.matchers.number())
    .as('admin.restock.visits.show')
  router
    .post('machines/:id/visit', [RestockController, 'storeVisit'])
    .where('id', router.matchers.number())
    .as('admin.restock.visits.store')
})
