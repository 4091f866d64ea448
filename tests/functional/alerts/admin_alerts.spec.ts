import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import CheckAlerts from '#actions/alerts/check_alerts'
import AuditLog from '#models/audit_log'
import Slot from '#models/slot'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'

async function stockedMachine(quantity: number) {
  const admin = await UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
  const machine = await MachineFactory.create()
  const product = await ProductFactory.merge({ name: 'Masala chips' }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
    quantity,
    capacity: 10,
  }).create()
  return { admin, machine, product, slot }
}

test.group('Admin: low-stock thresholds and open alerts', (group) => {
  group.each.setup(truncateAll)

  test('an operator sets a slot threshold on the slot form, with an audit row', async ({
    client,
    assert,
  }) => {
    const { admin, machine, product, slot } = await stockedMachine(4)

    const page = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
    page.assertStatus(200)
    assert.match(page.text(), /name="low_stock_threshold"[^>]*value="2"/)

    const response = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
      .form({ product_id: String(product.id), capacity: '10', low_stock_threshold: '5' })
      .withCsrfToken()
      .redirects(0)

    response.assertFlashMessage('notice', 'Slot 1 saved.')
    assert.equal((await Slot.findOrFail(slot.id)).lowStockThreshold, 5)
    const audit = await AuditLog.query().where('action', 'slot.update').firstOrFail()
    assert.deepEqual(audit.before, { product_id: product.id, capacity: 10, low_stock_threshold: 2 })
    assert.deepEqual(audit.after, { product_id: product.id, capacity: 10, low_stock_threshold: 5 })
  })

  test('refuses a negative threshold with a field error', async ({ client, assert }) => {
    const { admin, machine, product, slot } = await stockedMachine(4)

    const response = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
      .header('referer', `/admin/machines/${machine.id}/slots/1`)
      .form({ product_id: String(product.id), capacity: '10', low_stock_threshold: '-1' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    assert.deepEqual(response.flashMessages().inputErrorsBag, {
      low_stock_threshold: ['The alert threshold cannot be below 0 (0 turns the alert off).'],
    })
    assert.equal((await Slot.findOrFail(slot.id)).lowStockThreshold, 2)
  })

  test('the planogram page lists the machine open alerts', async ({ client, assert }) => {
    const { admin, machine, slot } = await stockedMachine(1)
    await (await app.container.make(CheckAlerts)).check()

    const page = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)

    page.assertStatus(200)
    assert.include(page.text(), 'Open alerts')
    assert.match(page.text(), /Low stock<\/strong> in slot 1 \(Masala chips\)/)

    await db.from('slots').where('id', slot.id).update({ quantity: 9 })
    await (await app.container.make(CheckAlerts)).check()
    const after = await client
      .get(`/admin/machines/${machine.id}/planogram`)
      .withGuard('web')
      .loginAs(admin)
    assert.notInclude(after.text(), 'Open alerts')
  })
})
