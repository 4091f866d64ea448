/*
| Admin panel: firmware releases and rollouts; devices' signed image downloads
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { panelRoutes } from '#routes/admin/panel'

const FirmwareController = () => import('#controllers/admin/firmware_controller')
const FirmwareDownloadsController = () => import('#controllers/firmware_downloads_controller')
const FirmwareRolloutsController = () => import('#controllers/admin/firmware_rollouts_controller')

// No session, no CSRF: a device fetches it with a signed URL and nothing else.
router
  .get('/firmware/:id/image', [FirmwareDownloadsController, 'image'])
  .where('id', router.matchers.number())
  .as('firmware.image')

panelRoutes(() => {
  router.get('firmware', [FirmwareController, 'index']).as('admin.firmware.index')

  router
    .group(() => {
      router.get('/', [FirmwareRolloutsController, 'index']).as('admin.firmware.rollouts.index')
      router
        .get('live', [FirmwareRolloutsController, 'listFragment'])
        .as('admin.firmware.rollouts.list_live')
      router.get('new', [FirmwareRolloutsController, 'create']).as('admin.firmware.rollouts.create')
      router.post('/', [FirmwareRolloutsController, 'store']).as('admin.firmware.rollouts.store')
      router
        .group(() => {
          router.get('/', [FirmwareRolloutsController, 'show']).as('admin.firmware.rollouts.show')
          router
            .get('live', [FirmwareRolloutsController, 'showFragment'])
            .as('admin.firmware.rollouts.live')
          router
            .post('pause', [FirmwareRolloutsController, 'pause'])
            .as('admin.firmware.rollouts.pause')
          router
            .post('resume', [FirmwareRolloutsController, 'resume'])
            .as('admin.firmware.rollouts.resume')
          router
            .post('cancel', [FirmwareRolloutsController, 'cancel'])
            .as('admin.firmware.rollouts.cancel')
        })
        .prefix(':id')
        .where('id', router.matchers.number())
    })
    .prefix('firmware/rollouts')
})

/*
 * The upload reads its (large) body itself, after auth and the role check
 * and before shield, which needs the CSRF field from it: the same guards
 * as `panelRoutes`, with FirmwareUploadMiddleware between them.
 */
router
  .post('/admin/firmware', [FirmwareController, 'store'])
  .use([
    middleware.session(),
    middleware.auth({ guards: ['api', 'web'] }),
    middleware.panelAccess(),
    middleware.firmwareUpload(),
    middleware.shield(),
  ])
  .as('admin.firmware.store')
