/*
| Admin panel: shoppers' ratings of their orders (read-only)
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const FeedbackController = () => import('#controllers/admin/feedback_controller')

panelRoutes(() => {
  router.get('feedback', [FeedbackController, 'index']).as('admin.feedback.index')
})
