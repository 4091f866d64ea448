/*
| Admin panel: shoppers
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const ShoppersController = () => import('#controllers/admin/shoppers_controller')

panelRoutes(() => {
  router.get('shoppers', [ShoppersController, 'index']).as('admin.shoppers.index')
  router
    .get('shoppers/:id', [ShoppersController, 'show'])
    .where('id', router.matchers.number())
    .as('admin.shoppers.show')
  router
    .post('shoppers/:id/adjustments', [ShoppersController, 'adjust'])
    .where('id', router.matchers.number())
    .as('admin.shoppers.adjust')
})
