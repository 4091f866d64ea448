/*
| Admin panel: products
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

panelRoutes(() => {
  void router
})
