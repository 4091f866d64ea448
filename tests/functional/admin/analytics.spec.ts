import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import { OrderStatus } from '#enums/order_status'
import type Order from '#models/order'
import SalesReport from '#services/sales_report'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'

/**
 * Known sales, 2026-03-01 .. 2026-03-04:
 *
 * | day   | m-alpha                 | m-beta                  |
 * | 03-01 | Masala Chips ₹20.00     | Cold Coffee ₹45.50 (23:59:59) |
 * | 03-03 | Cold Coffee ₹45.50 (00:00:00) |                   |
 *
 * and, on 03-01, a refunded, a failed, a pending order and a completed
 * test vend (no sales), and
 * completed orders just outside the range (02-28 23:59:59, 03-05 00:00).
 */
async function seedSales() {
  const alpha = await MachineFactory.merge({ code: 'm-alpha' }).create()
  const beta = await MachineFactory.merge({ code: 'm-beta' }).create()
  const chips = await ProductFactory.merge({ name: 'Masala Chips', pricePaise: 2000 }).create()
  const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4550 }).create()
  const alphaSlot = await SlotFactory.merge({ machineId: alpha.id, productId: chips.id }).create()
  const betaSlot = await SlotFactory.merge({ machineId: beta.id, productId: coffee.id }).create()
  const shopper = await UserFactory.create()

  const sale = (
    machine: typeof alpha,
    product: typeof chips,
    iso: string,
    status = OrderStatus.Completed,
    extra: Partial<Order> = {}
  ) =>
    OrderFactory.merge({
      userId: shopper.id,
      machineId: machine.id,
      slotId: machine.id === alpha.id ? alphaSlot.id : betaSlot.id,
      productId: product.id,
      pricePaise: product.pricePaise,
      status,
      createdAt: DateTime.fromISO(iso),
      ...extra,
    }).create()

  await sale(alpha, chips, '2026-03-01T08:00:00')
  await sale(beta, coffee, '2026-03-01T23:59:59')
  await sale(alpha, coffee, '2026-03-03T00:00:00')
  await sale(beta, coffee, '2026-03-01T09:00:00', OrderStatus.Refunded)
  await sale(beta, coffee, '2026-03-01T09:30:00', OrderStatus.Failed, { failureReason: 'jam' })
  await sale(alpha, chips, '2026-03-01T10:00:00', OrderStatus.Pending)
  // An operator's free test vend is no sale either.
  await sale(alpha, chips, '2026-03-01T11:00:00', OrderStatus.Completed, {
    isTest: true,
    pricePaise: 0,
  })
  await sale(alpha, chips, '2026-02-28T23:59:59')
  await sale(beta, chips, '2026-03-05T00:00:00')
  return { alpha, beta, chips, coffee }
}

test.group('Admin analytics: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page and refuses a shopper', async ({ client }) => {
    const anonymous = await client
      .get('/admin/analytics')
      .header('accept', 'text/html')
      .redirects(0)
    anonymous.assertStatus(302)
    anonymous.assertHeader('location', '/admin/login')
    const { token } = await createShopper()
    const shopper = await client
      .get('/admin/analytics')
      .bearerToken(token)
      .header('accept', 'text/html')
    shopper.assertStatus(403)
  })
})

test.group('Admin analytics: sales report', (group) => {
  group.each.setup(truncateAll)

  test('sums completed orders per day, product and machine, with empty days as zero', async ({
    assert,
  }) => {
    const { alpha, beta, chips, coffee } = await seedSales()
    const report = await app.container.make(SalesReport)
    const sales = await report.build('2026-03-01', '2026-03-04')

    assert.deepEqual(sales.days, [
      { day: '2026-03-01', revenuePaise: 6_550, vends: 2 },
      { day: '2026-03-02', revenuePaise: 0, vends: 0 },
      { day: '2026-03-03', revenuePaise: 4_550, vends: 1 },
      { day: '2026-03-04', revenuePaise: 0, vends: 0 },
    ])
    assert.deepEqual(sales.products, [
      { id: coffee.id, label: 'Cold Coffee', revenuePaise: 9_100, vends: 2 },
      { id: chips.id, label: 'Masala Chips', revenuePaise: 2_000, vends: 1 },
    ])
    assert.deepEqual(sales.machines, [
      { id: alpha.id, label: 'm-alpha', revenuePaise: 6_550, vends: 2 },
      { id: beta.id, label: 'm-beta', revenuePaise: 4_550, vends: 1 },
    ])
    assert.deepEqual(sales.totals, { revenuePaise: 11_100, vends: 3 })
  })

  test('reports nothing for a range without sales', async ({ assert }) => {
    await seedSales()
    const report = await app.container.make(SalesReport)
    const sales = await report.build('2026-03-10', '2026-03-11')
    assert.deepEqual(sales.days, [
      { day: '2026-03-10', revenuePaise: 0, vends: 0 },
      { day: '2026-03-11', revenuePaise: 0, vends: 0 },
    ])
    assert.deepEqual(sales.products, [])
    assert.deepEqual(sales.machines, [])
  })

  test('shows the same numbers on the page, with the charts’ data and script', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { alpha, coffee } = await seedSales()
    const response = await client
      .get('/admin/analytics')
      .qs({ from: '2026-03-01', to: '2026-03-04' })
      .withGuard('web')
      .loginAs(admin)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '<script src="/assets/vendor/chart.umd.js"></script>')
    assert.notMatch(html, /<script[^>]+src="https?:/, 'no CDN script')
    assert.include(html, '<canvas id="chart-days"')
    assert.match(html, /data-total="revenue">₹111\.00</)
    assert.match(html, /data-total="vends">3</)
    assert.match(
      html,
      /data-day="2026-03-01"><td>2026-03-01<\/td><td class="num">₹65\.50<\/td><td class="num">2</
    )
    assert.match(
      html,
      /data-day="2026-03-02"><td>2026-03-02<\/td><td class="num">₹0\.00<\/td><td class="num">0</
    )
    assert.match(
      html,
      new RegExp(
        `data-id="${coffee.id}"><td>Cold Coffee</td><td class="num">₹91\\.00</td><td class="num">2<`
      )
    )
    assert.match(
      html,
      new RegExp(
        `data-id="${alpha.id}"><td>m-alpha</td><td class="num">₹65\\.50</td><td class="num">2<`
      )
    )
    assert.equal([...html.matchAll(/data-day="/g)].length, 4)
  })

  test('defaults to the last 14 days, today included', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const machine = await MachineFactory.create()
    const product = await ProductFactory.merge({ pricePaise: 1000 }).create()
    const slot = await SlotFactory.merge({ machineId: machine.id, productId: product.id }).create()
    const shopper = await UserFactory.create()
    const today = DateTime.now().startOf('day')
    for (const daysAgo of [0, 13, 14]) {
      await OrderFactory.merge({
        userId: shopper.id,
        machineId: machine.id,
        slotId: slot.id,
        productId: product.id,
        pricePaise: 1000,
        createdAt: today.minus({ days: daysAgo }).plus({ hours: 12 }),
      }).create()
    }

    const response = await client.get('/admin/analytics').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    const days = [...response.text().matchAll(/data-day="([\d-]+)"/g)].map((match) => match[1])
    assert.lengthOf(days, 14)
    assert.equal(days[0], today.minus({ days: 13 }).toISODate())
    assert.equal(days[13], today.toISODate())
    assert.match(response.text(), /data-total="revenue">₹20\.00</)
  })

  test('turns a backwards range round and ignores a malformed date', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    await seedSales()
    const backwards = await client
      .get('/admin/analytics')
      .qs({ from: '2026-03-04', to: '2026-03-01' })
      .withGuard('web')
      .loginAs(admin)
    assert.match(backwards.text(), /data-total="revenue">₹111\.00</)
    const malformed = await client
      .get('/admin/analytics')
      .qs({ from: 'last week' })
      .withGuard('web')
      .loginAs(admin)
    malformed.assertStatus(200)
    malformed.assertTextIncludes('Dates must be given as YYYY-MM-DD.')
    assert.lengthOf([...malformed.text().matchAll(/data-day="/g)], 14)
  })
})
