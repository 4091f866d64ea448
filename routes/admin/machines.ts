/*
| Admin panel: machines and their planograms
*/
import router from '@adonisjs/core/services/router'
import { panelRoutes } from '#routes/admin/panel'

const MachinesController = () => import('#controllers/admin/machines_controller')
const PlanogramController = () => import('#controllers/admin/planogram_controller')
const MachineDeviceController = () => import('#controllers/admin/machine_device_controller')

panelRoutes(() => {
  router.get('machines', [MachinesController, 'index']).as('admin.machines.index')
  router.get('machines/live', [MachinesController, 'listFragment']).as('admin.machines.live')
  router.get('machines/create', [MachinesController, 'create']).as('admin.machines.create')
  router.post('machines', [MachinesController, 'store']).as('admin.machines.store')
  // Printable QR labels of the machines' shopper pages.
  router.get('machines/qr', [MachinesController, 'qrSheet']).as('admin.machines.qr_sheet')

  router
    .group(() => {
      router.get('/', [MachinesController, 'show']).as('admin.machines.show')
      router.get('live', [MachinesController, 'showFragment']).as('admin.machines.show_live')
      router.post('key', [MachinesController, 'rotateKey']).as('admin.machines.rotate_key')
      router
        .post('maintenance', [MachinesController, 'maintenance'])
        .as('admin.machines.maintenance')
      router
        .post('display-code', [MachinesController, 'displayCode'])
        .as('admin.machines.display_code')
      router.post('test-vend', [MachinesController, 'testVend']).as('admin.machines.test_vend')
      router.post('tags', [MachinesController, 'tags']).as('admin.machines.tags')
      router.get('qr', [MachinesController, 'qr']).as('admin.machines.qr')

      // Remote operations on the machine's device (PROTOCOL.md §13.2–13.3).
      router
        .group(() => {
          router
            .post('settings', [MachineDeviceController, 'settings'])
            .as('admin.machines.device.settings')
          router.post('logs', [MachineDeviceController, 'logs']).as('admin.machines.device.logs')
          router
            .post('reboot', [MachineDeviceController, 'reboot'])
            .as('admin.machines.device.reboot')
        })
        .prefix('device')

      router.get('planogram', [PlanogramController, 'show']).as('admin.planogram.show')
      router.post('slots', [PlanogramController, 'store']).as('admin.planogram.add_slot')
      router
        .group(() => {
          router.get('/', [PlanogramController, 'edit']).as('admin.planogram.edit_slot')
          router.post('/', [PlanogramController, 'update']).as('admin.planogram.update_slot')
          router.post('restock', [PlanogramController, 'restock']).as('admin.planogram.restock')
          router
            .post('clear-check', [PlanogramController, 'clearCheck'])
            .as('admin.planogram.clear_check')
        })
        .prefix('slots/:number')
        .where('number', router.matchers.number())
    })
    .prefix('machines/:id')
    .where('id', router.matchers.number())
})
