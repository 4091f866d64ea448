import { test } from '@japa/runner'
import { Role, type PanelRole } from '#enums/role'
import Product from '#models/product'
import Slot from '#models/slot'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { panelUser } from '#tests/helpers/panel'

/**
 * A machine with slot 1 of a ₹25 product, 3 of 10 units.
 */
async function stockedMachine() {
  const machine = await MachineFactory.create()
  const product = await ProductFactory.merge({ name: 'Masala chips', pricePaise: 2500 }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
    quantity: 3,
    capacity: 10,
  }).create()
  return { machine, product }
}

const ALL: PanelRole[] = [Role.Admin, Role.Restocker, Role.Viewer]
const READERS: PanelRole[] = [Role.Admin, Role.Viewer]

test.group('Panel roles: who may open what', (group) => {
  group.each.setup(truncateAll)

  test('GET {path}')
    .with([
      { path: '/admin', allowed: ALL },
      { path: '/admin/dashboard/live', allowed: ALL },
      { path: '/admin/machines', allowed: ALL },
      { path: '/admin/machines/:id', allowed: ALL },
      { path: '/admin/machines/:id/planogram', allowed: ALL },
      { path: '/admin/machines/:id/slots/1', allowed: [Role.Admin, Role.Restocker] },
      { path: '/admin/machines/create', allowed: [Role.Admin] },
      { path: '/admin/products', allowed: READERS },
      { path: '/admin/products/new', allowed: [Role.Admin] },
      { path: '/admin/orders', allowed: READERS },
      { path: '/admin/orders.csv', allowed: READERS },
      { path: '/admin/payments', allowed: READERS },
      { path: '/admin/shoppers', allowed: READERS },
      { path: '/admin/analytics', allowed: READERS },
      { path: '/admin/audit', allowed: READERS },
      { path: '/admin/firmware', allowed: READERS },
      { path: '/admin/firmware/rollouts/new', allowed: [Role.Admin] },
    ])
    .run(async ({ client, assert }, row) => {
      const { machine } = await stockedMachine()
      const path = row.path.replace(':id', String(machine.id))
      for (const role of ALL) {
        const user = await panelUser(role)
        const response = await client
          .get(path)
          .withGuard('web')
          .loginAs(user)
          .header('accept', 'text/html')
          .redirects(0)
        const expected = row.allowed.includes(role) ? 200 : 403
        assert.equal(response.status(), expected, `${role} GET ${path}`)
        if (expected === 403) assert.include(response.text(), 'Not allowed')
      }
    })

  test('a restock: admin and restocker fill the slot, a viewer gets 403 and nothing changes', async ({
    client,
    assert,
  }) => {
    const { machine } = await stockedMachine()
    const expected: Record<PanelRole, { status: number; quantity: number }> = {
      [Role.Viewer]: { status: 403, quantity: 3 },
      [Role.Restocker]: { status: 302, quantity: 5 },
      [Role.Admin]: { status: 302, quantity: 7 },
    }
    for (const role of [Role.Viewer, Role.Restocker, Role.Admin] as const) {
      const user = await panelUser(role)
      const response = await client
        .post(`/admin/machines/${machine.id}/slots/1/restock`)
        .withGuard('web')
        .loginAs(user)
        .header('accept', 'text/html')
        .form({ mode: 'add', quantity: '2' })
        .withCsrfToken()
        .redirects(0)
      assert.equal(response.status(), expected[role].status, role)
      const slot = await Slot.query().where('machine_id', machine.id).firstOrFail()
      assert.equal(slot.quantity, expected[role].quantity, role)
    }
  })

  test('a product form: restocker and viewer get 403 and no product is made', async ({
    client,
    assert,
  }) => {
    for (const role of [Role.Restocker, Role.Viewer] as const) {
      const user = await panelUser(role)
      const response = await client
        .post('/admin/products')
        .withGuard('web')
        .loginAs(user)
        .header('accept', 'text/html')
        .form({ name: 'Cola', price: '20.00', category: 'drinks' })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(403)
    }
    assert.lengthOf(await Product.all(), 0)
  })

  test('maintenance and test vends are field work: a viewer may not, a restocker may', async ({
    client,
    assert,
  }) => {
    const { machine } = await stockedMachine()
    const viewer = await panelUser(Role.Viewer)
    const refused = await client
      .post(`/admin/machines/${machine.id}/maintenance`)
      .withGuard('web')
      .loginAs(viewer)
      .form({ maintenance: 'on' })
      .withCsrfToken()
      .redirects(0)
    refused.assertStatus(403)

    const restocker = await panelUser(Role.Restocker)
    const allowed = await client
      .post(`/admin/machines/${machine.id}/maintenance`)
      .withGuard('web')
      .loginAs(restocker)
      .form({ maintenance: 'on' })
      .withCsrfToken()
      .redirects(0)
    assert.notEqual(allowed.status(), 403)

    const rotate = await client
      .post(`/admin/machines/${machine.id}/key`)
      .withGuard('web')
      .loginAs(restocker)
      .withCsrfToken()
      .redirects(0)
    rotate.assertStatus(403)
  })

  test('a script asking for JSON gets a 403 JSON body', async ({ client }) => {
    const restocker = await panelUser(Role.Restocker)
    const response = await client
      .get('/admin/orders')
      .withGuard('web')
      .loginAs(restocker)
      .header('accept', 'application/json')
    response.assertStatus(403)
    response.assertBodyContains({ errors: [{ code: 'forbidden' }] })
  })

  test('the nav shows only the areas the role may open', async ({ client, assert }) => {
    const restocker = await panelUser(Role.Restocker)
    const page = await client.get('/admin/machines').withGuard('web').loginAs(restocker)
    page.assertStatus(200)
    assert.include(page.text(), 'href="/admin/machines"')
    assert.notInclude(page.text(), 'href="/admin/orders"')
    assert.notInclude(page.text(), 'href="/admin/payments"')

    const admin = await panelUser(Role.Admin)
    const full = await client.get('/admin/machines').withGuard('web').loginAs(admin)
    assert.include(full.text(), 'href="/admin/orders"')
  })

  test('restockers and viewers log in with their password', async ({ client }) => {
    for (const role of [Role.Restocker, Role.Viewer] as const) {
      await panelUser(role)
      const response = await client
        .post('/admin/login')
        .form({ email: `${role}@example.com`, password: 'correct horse battery' })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin')
    }
  })
})
