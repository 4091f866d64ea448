import { test } from '@japa/runner'
import { Role } from '#enums/role'
import AuditLog from '#models/audit_log'
import Slot from '#models/slot'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { panelUser } from '#tests/helpers/panel'

/**
 * A machine whose slot 1 holds 3 units of a ₹25 product at a ₹30 override.
 */
async function pricedMachine() {
  const machine = await MachineFactory.create()
  const product = await ProductFactory.merge({ name: 'Masala chips', pricePaise: 2500 }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
    quantity: 3,
    capacity: 10,
    pricePaise: 3000,
  }).create()
  return { machine, product, slot }
}

test.group('Panel roles: money', (group) => {
  group.each.setup(truncateAll)

  test('a restocker sees no sales figures, prices or shoppers; admins and viewers do', async ({
    client,
    assert,
  }) => {
    const { machine } = await pricedMachine()
    const pages = ['/admin', `/admin/machines/${machine.id}/planogram`]
    for (const role of [Role.Admin, Role.Viewer, Role.Restocker] as const) {
      const user = await panelUser(role)
      const money = role !== Role.Restocker
      const dashboard = await client.get(pages[0]).withGuard('web').loginAs(user)
      dashboard.assertStatus(200)
      assert.equal(dashboard.text().includes('Sales today'), money, `${role} dashboard`)
      assert.equal(dashboard.text().includes('<th>Price</th>'), money, `${role} orders`)
      assert.equal(dashboard.text().includes('<th>Shopper</th>'), money, `${role} shoppers`)
      const fragment = await client.get('/admin/dashboard/live').withGuard('web').loginAs(user)
      assert.equal(fragment.text().includes('data-stat="sales"'), money, `${role} live figures`)
      const planogram = await client.get(pages[1]).withGuard('web').loginAs(user)
      planogram.assertStatus(200)
      assert.equal(planogram.text().includes('data-slot-price'), money, `${role} planogram`)
      assert.equal(planogram.text().includes('₹'), money, `${role} planogram rupees`)
    }
  })

  test('the slot form offers the price override to admins only', async ({ client, assert }) => {
    const { machine } = await pricedMachine()
    const admin = await panelUser(Role.Admin)
    const restocker = await panelUser(Role.Restocker)
    const forAdmin = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
    assert.match(forAdmin.text(), /name="price_override" value="30\.00"/)
    const forRestocker = await client
      .get(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(restocker)
    forRestocker.assertStatus(200)
    assert.notInclude(forRestocker.text(), 'price_override')
    assert.notInclude(forRestocker.text(), '₹')
  })

  test('a restocker edits a slot but cannot change its price', async ({ client, assert }) => {
    const { machine, product, slot } = await pricedMachine()
    const restocker = await panelUser(Role.Restocker)
    const refused = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(restocker)
      .header('referer', `http://localhost/admin/machines/${machine.id}/slots/1`)
      .form({ product_id: String(product.id), capacity: '12', price_override: '20.00' })
      .withCsrfToken()
      .redirects(0)
    refused.assertStatus(302)
    refused.assertFlashMessage('error', 'Only an admin may change a price.')
    refused.assertFlashMessage('inputErrorsBag', {
      price_override: ['Only an admin may change a price.'],
    })
    await slot.refresh()
    assert.equal(slot.pricePaise, 3000)
    assert.equal(slot.capacity, 10, 'nothing of the refused save is kept')

    const json = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(restocker)
      .header('accept', 'application/json')
      .form({ product_id: String(product.id), capacity: '12', price_override: '' })
      .withCsrfToken()
    json.assertStatus(403)
    json.assertBodyContains({ errors: [{ code: 'price_change_forbidden' }] })

    // The same price sent back, or none at all, is no price change.
    for (const form of [
      { product_id: String(product.id), capacity: '12', price_override: '30.00' },
      { product_id: String(product.id), capacity: '14' },
    ]) {
      const saved = await client
        .post(`/admin/machines/${machine.id}/slots/1`)
        .withGuard('web')
        .loginAs(restocker)
        .form(form)
        .withCsrfToken()
        .redirects(0)
      saved.assertStatus(302)
      saved.assertFlashMessage('notice', 'Slot 1 saved.')
    }
    const after = await Slot.findOrFail(slot.id)
    assert.equal(after.capacity, 14)
    assert.equal(after.pricePaise, 3000)
  })

  test('an admin changes the price on the same form, audited', async ({ client, assert }) => {
    const { machine, product, slot } = await pricedMachine()
    const admin = await panelUser(Role.Admin)
    const saved = await client
      .post(`/admin/machines/${machine.id}/slots/1`)
      .withGuard('web')
      .loginAs(admin)
      .form({ product_id: String(product.id), capacity: '10', price_override: '35.00' })
      .withCsrfToken()
      .redirects(0)
    saved.assertFlashMessage('notice', 'Slot 1 saved.')
    await slot.refresh()
    assert.equal(slot.pricePaise, 3500)
    const [row] = await AuditLog.query().where('action', 'slot.update')
    assert.equal(row.userId, admin.id)
    assert.deepInclude(row.after, { price_paise: 3500 })
  })
})
