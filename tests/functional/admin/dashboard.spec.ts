import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'

test.group('Admin dashboard: low stock', (group) => {
  group.each.setup(truncateAll)

  test('lists the slots at or below their own alert threshold, as the alerts do', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
    const machine = await MachineFactory.merge({ code: 'lobby-1' }).create()
    const product = await ProductFactory.merge({ name: 'Masala chips' }).create()
    const slot = (number: number, quantity: number, lowStockThreshold: number) =>
      SlotFactory.merge({
        machineId: machine.id,
        productId: product.id,
        number,
        quantity,
        capacity: 10,
        lowStockThreshold,
      }).create()
    await slot(1, 4, 5) // low: 4 <= 5, above the old fixed 2 units
    await slot(2, 5, 5) // low: at the threshold
    await slot(3, 2, 1) // not low: its threshold is 1
    await slot(4, 0, 0) // empty, but its alert is off
    await SlotFactory.merge({
      machineId: machine.id,
      productId: null,
      number: 5,
      quantity: 0,
      capacity: 10,
    }).create()

    const response = await client.get('/admin/dashboard/live').withGuard('web').loginAs(admin)

    response.assertStatus(200)
    const section = response.text().split('<h2>Low stock</h2>')[1] ?? ''
    const listed = [...section.matchAll(/<tr><td>lobby-1<\/td><td>(\d+)<\/td>/g)].map((match) =>
      Number(match[1])
    )
    assert.sameMembers(listed, [1, 2])
  })
})

test.group('Admin dashboard, analytics and export: test vends', (group) => {
  group.each.setup(truncateAll)

  test('a test vend is no sale nor order, its failure is a failed vend, and it is marked where listed', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
    const { machine, product, device } = await createOnlineMachine({
      quantity: 8,
      pricePaise: 3000,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })

    // Shoppers: one sale, one jam (refunded). The operator: two test vends,
    // one dropped and one that did not drop.
    const settle = async (result: string) => {
      const command = await device.nextVend()
      assert.deepEqual(await device.report(command.command_id, result), { ok: true })
      return command.order_id
    }
    const testVend = () =>
      client
        .post(`/admin/machines/${machine.id}/test-vend`)
        .withGuard('web')
        .loginAs(admin)
        .form({ slot: '1' })
        .withCsrfToken()
        .redirects(0)
    await buyThroughApi(client, token, product, machine)
    const sale = await settle('dropped')
    await buyThroughApi(client, token, product, machine)
    const jam = await settle('jam')
    await testVend()
    const droppedTest = await settle('dropped')
    await testVend()
    const failedTest = await settle('no_drop')
    assert.equal(
      (await Order.findOrFail(failedTest)).status,
      OrderStatus.Failed,
      'a failed test vend has nothing to refund'
    )

    // Dashboard: sales and orders are the shoppers' only; failed vends count both failures.
    const dashboard = await client.get('/admin/dashboard/live').withGuard('web').loginAs(admin)
    dashboard.assertStatus(200)
    const html = dashboard.text()
    const stat = (name: string) => new RegExp(`data-stat="${name}">([^<]*)<`).exec(html)?.[1]
    assert.equal(stat('sales'), '₹30.00')
    assert.equal(stat('orders'), '2')
    assert.equal(stat('failed'), '2')
    assert.equal(stat('failed-test'), '1 of them a test vend')
    // Recent orders: all four, the test vends marked and free.
    const rows = new Map(
      [...html.matchAll(/<tr data-order-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((match) => [
        Number(match[1]),
        match[2],
      ])
    )
    assert.sameMembers([...rows.keys()], [sale, jam, droppedTest, failedTest])
    for (const id of [droppedTest, failedTest]) {
      assert.include(rows.get(id), 'test vend')
      assert.include(rows.get(id), '<td>free</td>')
    }
    for (const id of [sale, jam]) assert.notInclude(rows.get(id), 'test vend')

    // Analytics: one sale of ₹30 today.
    const today = DateTime.now().toISODate()!
    const analytics = await client
      .get('/admin/analytics')
      .qs({ from: today, to: today })
      .withGuard('web')
      .loginAs(admin)
    analytics.assertStatus(200)
    assert.match(analytics.text(), /data-total="revenue">₹30\.00</)
    assert.match(analytics.text(), /data-total="vends">1</)

    // Orders CSV: every order, the test vends flagged.
    const csv = await client.get('/admin/orders.csv').withGuard('web').loginAs(admin)
    csv.assertStatus(200)
    const [header, ...lines] = csv.text().trim().split('\n')
    assert.equal(
      header,
      'id,created_at,shopper,machine,slot,product,price,status,failure_reason,is_test'
    )
    const flagged = new Map(
      lines.map((line) => line.split(',')).map((cells) => [Number(cells[0]), cells])
    )
    assert.deepEqual(flagged.get(sale)!.slice(6), ['30.00', 'completed', '', 'false'])
    assert.deepEqual(flagged.get(jam)!.slice(6), ['30.00', 'refunded', 'jam', 'false'])
    assert.deepEqual(flagged.get(droppedTest)!.slice(6), ['0.00', 'completed', '', 'true'])
    assert.deepEqual(flagged.get(failedTest)!.slice(6), ['0.00', 'failed', 'no_drop', 'true'])

    // The orders list and the order page mark it; a settled test vend offers no refund.
    const list = await client.get('/admin/orders').withGuard('web').loginAs(admin)
    const listed = new Map(
      [...list.text().matchAll(/<tr data-order-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((match) => [
        Number(match[1]),
        match[2],
      ])
    )
    assert.include(listed.get(failedTest), 'test vend')
    assert.notInclude(listed.get(sale), 'test vend')
    const detail = await client.get(`/admin/orders/${failedTest}`).withGuard('web').loginAs(admin)
    detail.assertTextIncludes('test vend')
    assert.notInclude(detail.text(), 'id="refund-link"')
    const refund = await client
      .post(`/admin/orders/${failedTest}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    refund.assertFlashMessage('error', 'A test vend is free: there is nothing to refund.')
    assert.equal((await Order.findOrFail(failedTest)).status, OrderStatus.Failed)
  })
})
