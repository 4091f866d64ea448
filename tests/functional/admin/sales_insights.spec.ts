import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import { OrderStatus } from '#enums/order_status'
import type Machine from '#models/machine'
import type Order from '#models/order'
import type Product from '#models/product'
import type Slot from '#models/slot'
import SalesInsights, { paiseToRupees, resolveSalesRange } from '#services/sales_insights'
import InvalidSalesRangeException from '#exceptions/invalid_sales_range_exception'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'

/**
 * Orders placed at `utc` (ISO, UTC), `count` of them, from `slot`.
 */
async function sell(
  slot: Slot,
  product: Product,
  utc: string | DateTime,
  count = 1,
  extra: Partial<Order> = {}
) {
  const shopper = await UserFactory.create()
  const at = typeof utc === 'string' ? DateTime.fromISO(utc, { zone: 'utc' }) : utc
  for (let i = 0; i < count; i++) {
    await OrderFactory.merge({
      userId: shopper.id,
      machineId: slot.machineId,
      slotId: slot.id,
      slotNumber: slot.number,
      productId: product.id,
      pricePaise: product.pricePaise,
      createdAt: at.toLocal(),
      ...extra,
    }).create()
  }
}

async function planogram(machine: Machine, products: Product[]) {
  const slots: Slot[] = []
  for (const [index, product] of products.entries()) {
    slots.push(
      await SlotFactory.merge({
        machineId: machine.id,
        productId: product.id,
        number: index + 1,
      }).create()
    )
  }
  return slots
}

/**
 * Sales of the week Monday 2026-03-02 .. Sunday 2026-03-08 (times UTC):
 *
 * m-alpha (planogram chips, coffee, water, cake, biscuits):
 *   chips ×2 Mon 10:00 and 10:20, chips Tue 20:00, coffee Wed 18:45,
 *   cake Thu 12:00; water and biscuits sell nothing.
 * m-beta (planogram coffee, juice, tea):
 *   coffee Mon 08:00 and Fri 09:00, juice Tue 07:00 and 07:30,
 *   juice Sat 12:00 and 13:00, tea Wed 06:00.
 *
 * Not sales: on m-alpha in the week a completed test vend, a failed, a
 * refunded and a pending order; chips Sun 03-01 23:59:59 and Mon 03-09
 * 00:00 (outside the week in UTC; the first is inside it in Asia/Kolkata).
 */
async function seedWeek() {
  const alpha = await MachineFactory.merge({ code: 'm-alpha', name: 'Alpha' }).create()
  const beta = await MachineFactory.merge({ code: 'm-beta', name: 'Beta' }).create()
  const product = (name: string, pricePaise: number) =>
    ProductFactory.merge({ name, pricePaise }).create()
  const chips = await product('Chips', 2000)
  const coffee = await product('Coffee', 4550)
  const water = await product('Water', 1500)
  const cake = await product('Cake', 3000)
  const biscuits = await product('Biscuits', 1000)
  const juice = await product('Juice', 3500)
  const tea = await product('Tea', 2500)
  const [aChips, aCoffee, , aCake] = await planogram(alpha, [chips, coffee, water, cake, biscuits])
  const [bCoffee, bJuice, bTea] = await planogram(beta, [coffee, juice, tea])

  await sell(aChips, chips, '2026-03-02T10:00:00')
  await sell(aChips, chips, '2026-03-02T10:20:00')
  await sell(aChips, chips, '2026-03-03T20:00:00')
  await sell(aCoffee, coffee, '2026-03-04T18:45:00')
  await sell(aCake, cake, '2026-03-05T12:00:00')
  await sell(bCoffee, coffee, '2026-03-02T08:00:00')
  await sell(bCoffee, coffee, '2026-03-06T09:00:00')
  await sell(bJuice, juice, '2026-03-03T07:00:00')
  await sell(bJuice, juice, '2026-03-03T07:30:00')
  await sell(bJuice, juice, '2026-03-07T12:00:00')
  await sell(bJuice, juice, '2026-03-07T13:00:00')
  await sell(bTea, tea, '2026-03-04T06:00:00')

  await sell(aChips, chips, '2026-03-02T11:00:00', 1, { isTest: true, pricePaise: 0 })
  await sell(aCoffee, coffee, '2026-03-02T12:00:00', 1, {
    status: OrderStatus.Failed,
    failureReason: 'jam',
  })
  await sell(aChips, chips, '2026-03-03T12:00:00', 1, { status: OrderStatus.Refunded })
  await sell(aChips, chips, '2026-03-04T12:00:00', 1, { status: OrderStatus.Pending })
  await sell(aChips, chips, '2026-03-01T23:59:59')
  await sell(aChips, chips, '2026-03-09T00:00:00')
  return { alpha, beta, chips, coffee, water, cake, biscuits, juice, tea }
}

const WEEK = { from: '2026-03-02', to: '2026-03-08' }

function admin() {
  return UserFactory.apply('admin').create()
}

test.group('Sales insights: figures', (group) => {
  group.each.setup(truncateAll)

  test('sums units and revenue per product and machine, sales only', async ({ assert }) => {
    const { alpha, beta, chips, coffee, cake, juice, tea } = await seedWeek()
    const insights = await app.container.make(SalesInsights)
    const data = await insights.build(resolveSalesRange(WEEK, 'UTC'))

    assert.deepEqual(data.products, [
      { productId: juice.id, name: 'Juice', units: 4, revenuePaise: 14_000 },
      { productId: coffee.id, name: 'Coffee', units: 3, revenuePaise: 13_650 },
      { productId: chips.id, name: 'Chips', units: 3, revenuePaise: 6_000 },
      { productId: cake.id, name: 'Cake', units: 1, revenuePaise: 3_000 },
      { productId: tea.id, name: 'Tea', units: 1, revenuePaise: 2_500 },
    ])
    assert.deepEqual(data.machines, [
      { machineId: beta.id, code: 'm-beta', name: 'Beta', units: 7, revenuePaise: 25_600 },
      { machineId: alpha.id, code: 'm-alpha', name: 'Alpha', units: 5, revenuePaise: 13_550 },
    ])
    assert.deepEqual(data.totals, { units: 12, revenuePaise: 39_150 })
  })

  test('ranks best and worst sellers per machine, unsold planogram products worst', async ({
    assert,
  }) => {
    const { alpha, beta, chips, coffee, cake, biscuits, water, juice, tea } = await seedWeek()
    const insights = await app.container.make(SalesInsights)
    const data = await insights.build(resolveSalesRange(WEEK, 'UTC'))
    const names = (rows: { name: string; units: number }[]) =>
      rows.map((row) => `${row.name}:${row.units}`)

    const [rankAlpha, rankBeta] = data.rankings
    assert.equal(rankAlpha.machineId, alpha.id)
    assert.deepEqual(names(rankAlpha.best), ['Chips:3', 'Coffee:1', 'Cake:1'])
    assert.deepEqual(
      rankAlpha.best.map((row) => row.productId),
      [chips.id, coffee.id, cake.id]
    )
    // Zero sellers first (ties by revenue, then name); the best three are not repeated.
    assert.deepEqual(names(rankAlpha.worst), ['Biscuits:0', 'Water:0'])
    assert.deepEqual(
      rankAlpha.worst.map((row) => row.productId),
      [biscuits.id, water.id]
    )
    assert.equal(rankBeta.machineId, beta.id)
    assert.deepEqual(
      rankBeta.best.map((row) => row.productId),
      [juice.id, coffee.id, tea.id]
    )
    assert.deepEqual(rankBeta.worst, [])
  })

  test('narrows every figure to one machine', async ({ assert }) => {
    const { alpha } = await seedWeek()
    const insights = await app.container.make(SalesInsights)
    const data = await insights.build(resolveSalesRange(WEEK, 'UTC'), alpha.id)
    assert.deepEqual(
      data.products.map((row) => `${row.name}:${row.units}:${row.revenuePaise}`),
      ['Chips:3:6000', 'Coffee:1:4550', 'Cake:1:3000']
    )
    assert.deepEqual(
      data.machines.map((row) => row.code),
      ['m-alpha']
    )
    assert.deepEqual(
      data.rankings.map((row) => row.code),
      ['m-alpha']
    )
    assert.equal(
      data.heatmap.cells.flat().reduce((a, b) => a + b, 0),
      5
    )
  })

  test('buckets units by weekday and hour in UTC', async ({ assert }) => {
    await seedWeek()
    const insights = await app.container.make(SalesInsights)
    const { heatmap } = await insights.build(resolveSalesRange(WEEK, 'UTC'))
    const nonEmpty = heatmap.cells.flatMap((hours, day) =>
      hours.flatMap((units, hour) => (units ? [`${day}@${hour}:${units}`] : []))
    )
    // Monday = row 0.
    assert.deepEqual(nonEmpty, [
      '0@8:1',
      '0@10:2',
      '1@7:2',
      '1@20:1',
      '2@6:1',
      '2@18:1',
      '3@12:1',
      '4@9:1',
      '5@12:1',
      '5@13:1',
    ])
    assert.equal(heatmap.max, 2)
    assert.equal(heatmap.timeZone, 'UTC')
  })

  test('formats paise as rupees without float division', async ({ assert }) => {
    assert.equal(paiseToRupees(0), '0.00')
    assert.equal(paiseToRupees(5), '0.05')
    assert.equal(paiseToRupees(99), '0.99')
    assert.equal(paiseToRupees(100), '1.00')
    assert.equal(paiseToRupees(13_650), '136.50')
    assert.equal(paiseToRupees(-250), '-2.50')
    assert.equal(paiseToRupees(Number.MAX_SAFE_INTEGER), '90071992547409.91')
    assert.throws(() => paiseToRupees(1.5), /whole number of paise/)
  })

  test('reads a range of whole days in the zone, refusing a bad one', async ({ assert }) => {
    const now = DateTime.fromISO('2026-03-10T20:00:00Z')
    const last30 = resolveSalesRange({}, 'Asia/Kolkata', now)
    // 20:00 UTC is 01:30 the next day in Kolkata.
    assert.deepEqual([last30.from, last30.to], ['2026-02-10', '2026-03-11'])
    assert.equal(last30.start.toUTC().toISO(), '2026-02-09T18:30:00.000Z')
    assert.equal(last30.end.toUTC().toISO(), '2026-03-11T18:30:00.000Z')

    const year = resolveSalesRange({ from: '2024-01-01', to: '2024-12-31' }, 'UTC')
    assert.equal(year.end.diff(year.start, 'days').days, 366)

    for (const input of [
      { from: '2026-03-08', to: '2026-03-02' },
      { from: '2024-01-01', to: '2025-01-01' },
      { from: 'last week' },
      { to: '2026-02-30' },
    ]) {
      assert.throws(() => resolveSalesRange(input, 'UTC'), InvalidSalesRangeException as any)
    }
  })
})

test.group('Sales insights: page and CSV', (group) => {
  group.each.setup(truncateAll)

  test('is for admins only', async ({ client, assert }) => {
    for (const url of ['/admin/analytics/insights', '/admin/analytics.csv?report=products']) {
      const anonymous = await client.get(url).header('accept', 'text/html').redirects(0)
      anonymous.assertStatus(302)
      assert.match(anonymous.header('location') ?? '', /^\/admin\/login\b/)
      const { token } = await createShopper()
      const shopper = await client.get(url).bearerToken(token).header('accept', 'text/html')
      shopper.assertStatus(403)
    }
  })

  test('shows the tables, rankings and heatmap, linked from analytics', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const { alpha, juice, biscuits } = await seedWeek()
    const analytics = await client.get('/admin/analytics').withGuard('web').loginAs(user)
    assert.include(analytics.text(), 'href="/admin/analytics/insights"')

    const response = await client
      .get('/admin/analytics/insights')
      .qs(WEEK)
      .withGuard('web')
      .loginAs(user)
    response.assertStatus(200)
    const html = response.text()
    assert.match(html, /data-total="revenue">₹391\.50</)
    assert.match(html, /data-total="units">12</)
    assert.match(
      html,
      new RegExp(
        `data-product="${juice.id}"><td>Juice</td><td class="num">4</td><td class="num">₹140\\.00<`
      )
    )
    assert.match(
      html,
      new RegExp(
        `data-machine="${alpha.id}"><td><a [^>]+>m-alpha</a></td><td class="num">5</td><td class="num">₹135\\.50<`
      )
    )
    assert.match(html, /data-weekday="Mon">[\s\S]*?data-hour="10" data-units="2" class="level-4"/)
    assert.match(html, new RegExp(`data-worst>\\s*<div data-product="${biscuits.id}">Biscuits`))
    assert.include(
      html,
      'href="/admin/analytics.csv?report=products&amp;from=2026-03-02&amp;to=2026-03-08"'
    )
    assert.notMatch(html, /<script[^>]+src="https?:/, 'no CDN script')
    assert.notInclude(html, 'aria-invalid')
  })

  test('refuses a backwards or over-long range with invalid_range', async ({ client, assert }) => {
    const user = await admin()
    const page = await client
      .get('/admin/analytics/insights')
      .qs({ from: '2026-03-08', to: '2026-03-02' })
      .header('accept', 'text/html')
      .withGuard('web')
      .loginAs(user)
    page.assertStatus(422)
    assert.match(
      page.text(),
      /id="range-error" data-error="invalid_range">The range ends before it starts/
    )
    // The form keeps what was sent, the error tied to its first input.
    assert.include(
      page.text(),
      'name="from" value="2026-03-08" aria-invalid="true" aria-describedby="range-error"'
    )

    const json = await client
      .get('/admin/analytics/insights')
      .qs({ from: '2025-01-01', to: '2026-03-02' })
      .header('accept', 'application/json')
      .withGuard('web')
      .loginAs(user)
    json.assertStatus(422)
    assert.equal(json.body().errors[0].code, 'invalid_range')
    assert.equal(json.body().errors[0].field, 'from')

    const csv = await client
      .get('/admin/analytics.csv')
      .qs({ report: 'products', from: '2026-03-08', to: '2026-03-02' })
      .header('accept', 'application/json')
      .withGuard('web')
      .loginAs(user)
    csv.assertStatus(422)
    assert.equal(csv.body().errors[0].code, 'invalid_range')
  })

  test('exports products and machines as CSV, revenue in rupees', async ({ client, assert }) => {
    const user = await admin()
    const { alpha, beta, chips, coffee, cake, juice, tea } = await seedWeek()
    const products = await client
      .get('/admin/analytics.csv')
      .qs({ report: 'products', ...WEEK })
      .withGuard('web')
      .loginAs(user)
    products.assertStatus(200)
    products.assertHeader('content-type', 'text/csv; charset=utf-8')
    products.assertHeader(
      'content-disposition',
      'attachment; filename="sales-products-2026-03-02-to-2026-03-08.csv"'
    )
    assert.equal(
      products.text(),
      [
        'product_id,product,units,revenue_inr',
        `${juice.id},Juice,4,140.00`,
        `${coffee.id},Coffee,3,136.50`,
        `${chips.id},Chips,3,60.00`,
        `${cake.id},Cake,1,30.00`,
        `${tea.id},Tea,1,25.00`,
        '',
      ].join('\n')
    )

    const machines = await client
      .get('/admin/analytics.csv')
      .qs({ report: 'machines', ...WEEK, machine: beta.id })
      .withGuard('web')
      .loginAs(user)
    machines.assertStatus(200)
    machines.assertHeader(
      'content-disposition',
      `attachment; filename="sales-machines-2026-03-02-to-2026-03-08-machine-${beta.id}.csv"`
    )
    assert.equal(
      machines.text(),
      ['machine_id,machine,name,units,revenue_inr', `${beta.id},m-beta,Beta,7,256.00`, ''].join(
        '\n'
      )
    )
    assert.notInclude(machines.text(), `${alpha.id},m-alpha`)
  })

  test('exports the heatmap on the operator’s clock (APP_TZ Asia/Kolkata)', async ({
    client,
    assert,
    cleanup,
  }) => {
    const user = await admin()
    await seedWeek()
    const zone = app.config.get<string>('analytics.timeZone')
    app.config.set('analytics.timeZone', 'Asia/Kolkata')
    cleanup(() => app.config.set('analytics.timeZone', zone))

    const response = await client
      .get('/admin/analytics.csv')
      .qs({ report: 'heatmap', ...WEEK })
      .withGuard('web')
      .loginAs(user)
    response.assertStatus(200)
    const [header, ...rows] = response.text().trimEnd().split('\n')
    assert.equal(
      header,
      `weekday,${Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).join(',')}`
    )
    const row = (weekday: string, cells: Record<number, number>) =>
      [weekday, ...Array.from({ length: 24 }, (_, h) => cells[h] ?? 0)].join(',')
    // +05:30: Sun 23:59:59 UTC is Mon 05:29:59, Wed 18:45 UTC is Thu 00:15;
    // Mon 03-09 00:00 UTC is past the week's end (Mon 05:30 there).
    assert.deepEqual(rows, [
      row('Mon', { 5: 1, 13: 1, 15: 2 }),
      row('Tue', { 12: 1, 13: 1 }),
      row('Wed', { 1: 1, 11: 1 }),
      row('Thu', { 0: 1, 17: 1 }),
      row('Fri', { 14: 1 }),
      row('Sat', { 17: 1, 18: 1 }),
      row('Sun', {}),
    ])
  })

  test('refuses an unknown report with unknown_report', async ({ client, assert }) => {
    const user = await admin()
    for (const qs of [{ report: 'orders' }, {}]) {
      const response = await client
        .get('/admin/analytics.csv')
        .qs(qs)
        .header('accept', 'application/json')
        .withGuard('web')
        .loginAs(user)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].code, 'unknown_report')
    }
  })
})

test.group('Planogram suggestions', (group) => {
  group.each.setup(truncateAll)

  /**
   * m-gamma sold, in the last 28 days, from slots 1..5 (products A..E):
   * 10, 8, 6, 1 and 0 units (median 6, so slow below 1.5 units: D and E);
   * E also sold once 40 days ago. m-delta sold X ×5, Y ×3, A ×20 (in
   * gamma's planogram), inactive Z ×9 and test vends of W: the missing
   * top sellers are X then Y.
   */
  async function seedFleet() {
    const now = DateTime.now()
    const daysAgo = (days: number) => now.minus({ days })
    const gamma = await MachineFactory.merge({ code: 'm-gamma' }).create()
    const delta = await MachineFactory.merge({ code: 'm-delta' }).create()
    const make = (name: string, isActive = true) =>
      ProductFactory.merge({ name, pricePaise: 1000, isActive }).create()
    const [a, b, c, d, e] = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => make(n)))
    const x = await make('X')
    const y = await make('Y')
    const z = await make('Z', false)
    const w = await make('W')
    const gammaSlots = await planogram(gamma, [a, b, c, d, e])
    const [dx, dy, da, dz, dw] = await planogram(delta, [x, y, a, z, w])
    for (const [index, units] of [10, 8, 6, 1].entries()) {
      await sell(gammaSlots[index], [a, b, c, d][index], daysAgo(2), units)
    }
    await sell(gammaSlots[4], e, daysAgo(40))
    await sell(dx, x, daysAgo(3), 5)
    await sell(dy, y, daysAgo(3), 3)
    await sell(da, a, daysAgo(3), 20)
    await sell(dz, z, daysAgo(3), 9)
    await sell(dw, w, daysAgo(3), 12, { isTest: true, pricePaise: 0 })
    return { gamma, d, e, x, y }
  }

  test('lists slow movers and top sellers missing here on the planogram page', async ({
    client,
    assert,
  }) => {
    const user = await admin()
    const { gamma, x, y } = await seedFleet()
    const response = await client
      .get(`/admin/machines/${gamma.id}/planogram`)
      .withGuard('web')
      .loginAs(user)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'name="window" min="7" max="90" value="28"')
    assert.include(
      html,
      "fewer than 1.5 units: a quarter of this machine's median slot (6 units in 28 days)"
    )
    assert.deepEqual(
      [...html.matchAll(/data-slow-slot="(\d+)"/g)].map((match) => match[1]),
      ['5', '4']
    )
    assert.match(html, /data-slow-slot="4"><strong>Slot 4<\/strong> · D — 1 unit sold/)
    assert.deepEqual(
      [...html.matchAll(/data-missing-product="(\d+)"/g)].map((match) => Number(match[1])),
      [x.id, y.id]
    )
    assert.match(html, /X — 5 units on 1 other machine</)
  })

  test('clamps the window to 7..90 days', async ({ client, assert }) => {
    const user = await admin()
    const { gamma } = await seedFleet()
    const wide = await client
      .get(`/admin/machines/${gamma.id}/planogram`)
      .qs({ window: 500 })
      .withGuard('web')
      .loginAs(user)
    wide.assertStatus(200)
    assert.include(wide.text(), 'value="90"')
    // E's sale 40 days ago now counts: 10, 8, 6, 1, 1 → still median 6.
    assert.match(wide.text(), /data-slow-slot="5"><strong>Slot 5<\/strong> · E — 1 unit sold/)

    const narrow = await client
      .get(`/admin/machines/${gamma.id}/planogram`)
      .qs({ window: 1 })
      .withGuard('web')
      .loginAs(user)
    assert.include(narrow.text(), 'value="7"')
    assert.match(narrow.text(), /data-slow-slot="5"><strong>Slot 5<\/strong> · E — 0 units sold/)
  })
})
