/*
| Admin panel: audit
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const AuditController = () => import('#controllers/admin/audit_controller')

panelRoutes(() => {
  router.get('audit', [AuditController, 'index']).as('admin.audit.index')
})
