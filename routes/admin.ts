/*
|--------------------------------------------------------------------------
| Admin panel (session auth, CSRF-protected forms)
|--------------------------------------------------------------------------
|
| Each area of the panel keeps its routes in routes/admin/<area>.ts.
*/
import router from '@adonisjs/core/services/router'
import { webMiddleware } from '#start/kernel'
import { panelRoutes } from '#routes/admin/panel'
import '#routes/admin/products'
import '#routes/admin/machines'
import '#routes/admin/orders'
import '#routes/admin/payments'
import '#routes/admin/shoppers'
import '#routes/admin/analytics'
import '#routes/admin/audit'
import '#routes/admin/firmware'
import '#routes/admin/restock'
import '#routes/admin/team'
import '#routes/admin/feedback'

const SessionController = () => import('#controllers/admin/session_controller')
const DashboardController = () => import('#controllers/admin/dashboard_controller')
const AssetsController = () => import('#controllers/assets_controller')

router.get('/assets/vendor/:name', [AssetsController, 'vendor'])

router
  .group(() => {
    router.get('login', [SessionController, 'create']).as('admin.login')
    router.post('login', [SessionController, 'store']).as('admin.login.store')
  })
  .prefix('/admin')
  .use(webMiddleware())

panelRoutes(() => {
  router.get('/', [DashboardController, 'show']).as('admin.dashboard')
  router.get('dashboard/live', [DashboardController, 'fragment']).as('admin.dashboard.live')
  router.post('logout', [SessionController, 'destroy']).as('admin.logout')
})
