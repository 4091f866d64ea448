import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import Order from '#models/order'
import AuditLog from '#models/audit_log'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'

/**
 * Ids of the orders a list page shows, top to bottom.
 */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-order-id="(\d+)"/g)].map((match) => Number(match[1]))
}

function at(iso: string) {
  return DateTime.fromISO(iso)
}

/**
 * Two machines, two products, two shoppers and four orders on known days:
 *
 * | order | shopper        | machine | product      | status    | placed           |
 * | o1    | Brave-Otter-12 | m-alpha | Masala Chips | completed | 2026-03-01 10:00 |
 * | o2    | Brave-Otter-12 | m-beta  | Cold Coffee  | refunded  | 2026-03-02 12:00 |
 * | o3    | calm-heron-7   | m-alpha | Cold Coffee  | completed | 2026-03-03 09:00 |
 * | o4    | calm-heron-7   | m-beta  | Masala Chips | pending   | 2026-03-03 23:59 |
 */
async function seedOrders() {
  const alpha = await MachineFactory.merge({ code: 'm-alpha' }).create()
  const beta = await MachineFactory.merge({ code: 'm-beta' }).create()
  const chips = await ProductFactory.merge({ name: 'Masala Chips', pricePaise: 2000 }).create()
  const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4550 }).create()
  const alphaSlot = await SlotFactory.merge({
    machineId: alpha.id,
    productId: chips.id,
    number: 1,
  }).create()
  const betaSlot = await SlotFactory.merge({
    machineId: beta.id,
    productId: coffee.id,
    number: 4,
  }).create()
  const otter = await UserFactory.merge({ username: 'Brave-Otter-12' }).create()
  const heron = await UserFactory.merge({ username: 'calm-heron-7' }).create()

  const order = (
    user: typeof otter,
    machine: typeof alpha,
    product: typeof chips,
    extra: Partial<Order>
  ) =>
    OrderFactory.merge({
      userId: user.id,
      machineId: machine.id,
      slotId: machine.id === alpha.id ? alphaSlot.id : betaSlot.id,
      slotNumber: machine.id === alpha.id ? 1 : 4,
      productId: product.id,
      pricePaise: product.pricePaise,
      ...extra,
    }).create()

  const o1 = await order(otter, alpha, chips, { createdAt: at('2026-03-01T10:00:00') })
  const o2 = await order(otter, beta, coffee, {
    status: OrderStatus.Refunded,
    failureReason: 'jam',
    createdAt: at('2026-03-02T12:00:00'),
  })
  const o3 = await order(heron, alpha, coffee, { createdAt: at('2026-03-03T09:00:00') })
  const o4 = await order(heron, beta, chips, {
    status: OrderStatus.Pending,
    createdAt: at('2026-03-03T23:59:30'),
  })
  return { alpha, beta, chips, coffee, otter, heron, o1, o2, o3, o4 }
}

test.group('Admin orders: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    for (const url of [
      '/admin/orders',
      '/admin/orders.csv',
      '/admin/orders/1',
      '/admin/orders/1/refund',
    ]) {
      const response = await client.get(url).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper bearer token with 403', async ({ client }) => {
    const { token } = await createShopper()
    for (const url of ['/admin/orders', '/admin/orders.csv']) {
      const response = await client.get(url).bearerToken(token).header('accept', 'text/html')
      response.assertStatus(403)
    }
    const { o3 } = await seedOrders()
    const refund = await client
      .post(`/admin/orders/${o3.id}/refund`)
      .bearerToken(token)
      .withCsrfToken()
      .header('accept', 'text/html')
    refund.assertStatus(403)
    await o3.refresh()
    refund.assert!.equal(o3.status, OrderStatus.Completed)
  })

  test('refuses a refund posted without a CSRF token', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { o3 } = await seedOrders()
    const response = await client
      .post(`/admin/orders/${o3.id}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { E_BAD_CSRF_TOKEN: 'Invalid or expired CSRF token' })
    await o3.refresh()
    assert.equal(o3.status, OrderStatus.Completed)
    assert.equal(
      await AuditLog.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )
  })
})

test.group('Admin orders: list and filters', (group) => {
  group.each.setup(truncateAll)

  test('lists every order, newest first', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { o1, o2, o3, o4 } = await seedOrders()
    const response = await client.get('/admin/orders').withGuard('web').loginAs(admin)
    response.assertStatus(200)
    assert.deepEqual(listedIds(response.text()), [o4.id, o3.id, o2.id, o1.id])
    response.assertTextIncludes('Brave-Otter-12')
    response.assertTextIncludes('₹45.50')
    // Edge tags must start a line; mid-line ones are printed as text.
    assert.notInclude(response.text(), '@if(')
    assert.notInclude(response.text(), 'test vend')
  })

  test('filters by status, machine, product, shopper and days', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { alpha, beta, chips, o1, o2, o3, o4 } = await seedOrders()
    const list = async (qs: Record<string, string | number>) => {
      const response = await client.get('/admin/orders').qs(qs).withGuard('web').loginAs(admin)
      response.assertStatus(200)
      return listedIds(response.text())
    }

    assert.deepEqual(await list({ status: 'completed' }), [o3.id, o1.id])
    assert.deepEqual(await list({ status: 'pending' }), [o4.id])
    assert.deepEqual(await list({ machine: beta.id }), [o4.id, o2.id])
    assert.deepEqual(await list({ product: chips.id }), [o4.id, o1.id])
    assert.deepEqual(
      await list({ shopper: 'OTTER' }),
      [o2.id, o1.id],
      'username contains, ignoring case'
    )
    assert.deepEqual(await list({ shopper: 'heron-7' }), [o4.id, o3.id])
    assert.deepEqual(await list({ shopper: '%' }), [], 'a LIKE wildcard is matched literally')
    assert.deepEqual(
      await list({ from: '2026-03-02', to: '2026-03-03' }),
      [o4.id, o3.id, o2.id],
      'both days inclusive'
    )
    assert.deepEqual(await list({ to: '2026-03-01' }), [o1.id])
    assert.deepEqual(await list({ from: '2026-03-04' }), [])
    assert.deepEqual(await list({ status: 'completed', machine: alpha.id, from: '2026-03-02' }), [
      o3.id,
    ])
    // Empty inputs of the filter form mean "any".
    assert.deepEqual(
      await list({ status: '', machine: '', product: '', shopper: '', from: '', to: '' }),
      [o4.id, o3.id, o2.id, o1.id]
    )
  })

  test('ignores a malformed filter and says so', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    await seedOrders()
    const response = await client
      .get('/admin/orders')
      .qs({ status: 'lost', from: 'yesterday' })
      .withGuard('web')
      .loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Some filters were not understood')
    assert.lengthOf(listedIds(response.text()), 4)
  })

  test('pages by 25', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { otter, alpha, chips } = await seedOrders()
    const slot = await db.from('slots').where('machine_id', alpha.id).firstOrFail()
    for (let i = 0; i < 26; i++) {
      await OrderFactory.merge({
        userId: otter.id,
        machineId: alpha.id,
        slotId: slot.id,
        productId: chips.id,
        createdAt: at('2026-04-01T08:00:00').plus({ minutes: i }),
      }).create()
    }
    const first = await client.get('/admin/orders').withGuard('web').loginAs(admin)
    const second = await client.get('/admin/orders').qs({ page: 2 }).withGuard('web').loginAs(admin)
    const firstIds = listedIds(first.text())
    const secondIds = listedIds(second.text())
    assert.lengthOf(firstIds, 25)
    assert.lengthOf(secondIds, 5)
    assert.deepEqual(
      [...firstIds, ...secondIds].sort((a, b) => a - b),
      (await Order.all()).map((o) => o.id).sort((a, b) => a - b)
    )
    first.assertTextIncludes('Page 1 of 2')
    first.assertTextIncludes('href="/admin/orders?page=2"')
  })
})

test.group('Admin orders: CSV export', (group) => {
  group.each.setup(truncateAll)

  test('exports the filtered list as a CSV download', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { o2, o3, o4 } = await seedOrders()
    const response = await client
      .get('/admin/orders.csv')
      .qs({ from: '2026-03-02', to: '2026-03-03', machine: '', shopper: '' })
      .withGuard('web')
      .loginAs(admin)
      .header('accept', 'text/html')
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/csv; charset=utf-8')
    assert.match(
      String(response.header('content-disposition')),
      /^attachment; filename="orders-\d{8}-\d{6}\.csv"$/
    )

    const lines = response.text().trim().split('\n')
    assert.equal(
      lines[0],
      'id,created_at,shopper,machine,slot,product,price,status,failure_reason,is_test'
    )
    assert.lengthOf(lines, 4, 'header and three orders')
    const rows = lines.slice(1).map((line) => line.split(','))
    assert.deepEqual(
      rows.map((row) => Number(row[0])),
      [o4.id, o3.id, o2.id]
    )
    const [, pending, coffee, refunded] = lines.map((line) => line.split(','))
    assert.deepEqual(pending.slice(2), [
      'calm-heron-7',
      'm-beta',
      '4',
      'Masala Chips',
      '20.00',
      'pending',
      '',
      'false',
    ])
    assert.deepEqual(coffee.slice(2), [
      'calm-heron-7',
      'm-alpha',
      '1',
      'Cold Coffee',
      '45.50',
      'completed',
      '',
      'false',
    ])
    assert.deepEqual(refunded.slice(2), [
      'Brave-Otter-12',
      'm-beta',
      '4',
      'Cold Coffee',
      '45.50',
      'refunded',
      'jam',
      'false',
    ])
    assert.isTrue(DateTime.fromISO(coffee[1]).equals(at('2026-03-03T09:00:00')), coffee[1])
  })

  test('exports only the header when nothing matches', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    await seedOrders()
    const response = await client
      .get('/admin/orders.csv')
      .qs({ status: 'failed' })
      .withGuard('web')
      .loginAs(admin)
    response.assertStatus(200)
    assert.equal(
      response.text().trim(),
      'id,created_at,shopper,machine,slot,product,price,status,failure_reason,is_test'
    )
  })
})

test.group('Admin orders: detail and refund', (group) => {
  group.each.setup(truncateAll)

  test('shows an order with its timeline', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const { o2 } = await seedOrders()
    await Order.query().where('id', o2.id).update({
      dispatched_at: '2026-03-02 12:00:01',
      failed_at: '2026-03-02 12:00:09',
      refunded_at: '2026-03-02 12:00:09',
    })
    const response = await client.get(`/admin/orders/${o2.id}`).withGuard('web').loginAs(admin)
    response.assertStatus(200)
    for (const text of [
      'Order #' + o2.id,
      'Paid',
      'Sent to machine',
      'Failed',
      'Reason: jam',
      'Refunded',
      'Brave-Otter-12',
      'm-beta',
    ]) {
      response.assertTextIncludes(text)
    }
    response.assert!.notInclude(response.text(), 'id="refund-link"')
    response.assert!.notInclude(response.text(), '@if(')
    response.assert!.notInclude(response.text(), 'test vend')
  })

  test('refunds a completed order once, after a confirmation step', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(201)
    const orderId = buy.body().order.id
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')
    await eventually(async () => (await Order.findOrFail(orderId)).status === OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), 7_000)

    const detail = await client.get(`/admin/orders/${orderId}`).withGuard('web').loginAs(admin)
    detail.assertTextIncludes('Dropped')
    detail.assertTextIncludes(`href="/admin/orders/${orderId}/refund"`)

    const confirm = await client
      .get(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
    confirm.assertStatus(200)
    confirm.assertTextIncludes('Yes, refund ₹30.00')
    assert.equal(
      (await Order.findOrFail(orderId)).status,
      OrderStatus.Completed,
      'the confirmation page changes nothing'
    )

    const refund = await client
      .post(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    refund.assertStatus(302)
    refund.assertHeader('location', `/admin/orders/${orderId}`)
    refund.assertFlashMessage('notice', `Order #${orderId} was refunded to ${user.username}.`)

    const again = await client
      .post(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    again.assertStatus(302)
    again.assertFlashMessage('error', 'This order was already refunded.')

    const order = await Order.findOrFail(orderId)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.isNotNull(order.refundedAt)
    assert.equal(await balanceOf(user.id), 10_000, 'the price came back once')
    const refunds = (await ledgerRowsOf(user.id)).filter(
      (row) => row.kind === TransactionKind.Refund
    )
    assert.lengthOf(refunds, 1)
    assert.equal(refunds[0].amountPaise, 3000)
    assert.equal(refunds[0].orderId, orderId)
    assert.deepEqual(await ledgerDiscrepancies(), [])

    const audits = await AuditLog.query()
      .where('subject_type', 'order')
      .where('subject_id', orderId)
    assert.lengthOf(audits, 1)
    assert.equal(audits[0].action, 'order.refund')
    assert.equal(audits[0].userId, admin.id)
    assert.deepEqual(audits[0].before, { status: 'completed', failure_reason: null })
    assert.deepEqual(audits[0].after, {
      status: 'refunded',
      failure_reason: null,
      refunded_paise: 3000,
    })

    const after = await client.get(`/admin/orders/${orderId}`).withGuard('web').loginAs(admin)
    after.assertTextIncludes('Refunded')
    after.assertTextIncludes('order.refund')
    assert.notInclude(after.text(), 'id="refund-link"')
  })

  test('cancels and refunds an order stuck on a vanished device', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 2500,
      quantity: 3,
    })
    const { user, token } = await createShopper({ balancePaise: 5_000 })

    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(201)
    const orderId = buy.body().order.id
    await device.nextVend()
    await eventually(
      async () => (await Order.findOrFail(orderId)).status === OrderStatus.Dispensing
    )
    // The device vanishes without reporting.
    await disconnectDevice(device, machine.id)
    assert.equal(await balanceOf(user.id), 2_500)

    const confirm = await client
      .get(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
    confirm.assertTextIncludes('cancelled_by_admin')

    const refund = await client
      .post(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    refund.assertStatus(302)
    refund.assertFlashMessage(
      'notice',
      `Order #${orderId} was cancelled and refunded to ${user.username}.`
    )

    const again = await client
      .post(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    again.assertFlashMessage('error', 'This order was already refunded.')

    const order = await Order.findOrFail(orderId)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'cancelled_by_admin')
    assert.isNotNull(order.failedAt)
    assert.equal(await balanceOf(user.id), 5_000)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === TransactionKind.Refund),
      1
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
    // The motor may have turned: the slot's count is left for the restock.
    await slot.refresh()
    assert.equal(slot.quantity, 2)

    const audits = await AuditLog.query()
      .where('subject_type', 'order')
      .where('subject_id', orderId)
    assert.lengthOf(audits, 1)
    assert.equal(audits[0].action, 'order.cancel_refund')
    assert.deepEqual(audits[0].before, { status: 'dispensing', failure_reason: null })
    assert.equal(audits[0].after!.status, 'refunded')
    assert.equal(audits[0].after!.failure_reason, 'cancelled_by_admin')
  })

  test('answers 404 for an unknown order', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .get('/admin/orders/999999')
      .withGuard('web')
      .loginAs(admin)
      .header('accept', 'text/html')
    response.assertStatus(404)
  })
})
