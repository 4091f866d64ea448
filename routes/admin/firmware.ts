/*
| Admin panel: firmware releases; devices' signed image downloads
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { panelRoutes } from '#routes/admin/panel'

const FirmwareController = () => import('#controllers/admin/firmware_controller')
const FirmwareDownloadsController = () => import('#controllers/firmware_downloads_controller')

// No session, no CSRF: a device fetches it with a signed URL and nothing else.
router
  .get('/firmware/:id/image', [FirmwareDownloadsController, 'image'])
  .where('id', router.matchers.number())
  .as('firmware.image')

panelRoutes(() => {
  router.get('firmware', [FirmwareController, 'index']).as('admin.firmware.index')
})

/*
 * The upload reads its (large) body itself, after auth and the admin check
 * and before shield, which needs the CSRF field from it: the same guards
 * as `panelRoutes`, with FirmwareUploadMiddleware between them.
 */
router
  .post('/admin/firmware', [FirmwareController, 'store'])
  .use([
    middleware.session(),
    middleware.auth({ guards: ['api', 'web'] }),
    middleware.admin(),
    middleware.firmwareUpload(),
    middleware.shield(),
  ])
  .as('admin.firmware.store')
