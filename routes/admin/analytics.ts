/*
| Admin panel: analytics
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const AnalyticsController = () => import('#controllers/admin/analytics_controller')
const SalesInsightsController = () => import('#controllers/admin/sales_insights_controller')

panelRoutes(() => {
  router.get('analytics', [AnalyticsController, 'show']).as('admin.analytics')
  router.get('analytics/insights', [SalesInsightsController, 'show']).as('admin.analytics.insights')
  router.get('analytics.csv', [SalesInsightsController, 'export']).as('admin.analytics.export')
})
