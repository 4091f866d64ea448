/*
| Admin panel: analytics
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const AnalyticsController = () => import('#controllers/admin/analytics_controller')

panelRoutes(() => {
  router.get('analytics', [AnalyticsController, 'show']).as('admin.analytics')
})
