import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { DateTime } from 'luxon'
import { CardRefundStatus } from '#enums/card_refund_status'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'
import { PaymentEventFactory, PaymentFactory } from '#database/factories/payment_factory'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/**
 * An Edge tag written mid-line is printed as text instead of run: none
 * may reach a page.
 */
function assertNoRawEdge(assert: Assert, html: string) {
  assert.notMatch(html, /@(if|else|end|each)\b/)
}

/**
 * Ids of the payments a page lists, top to bottom.
 */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-payment-id="(\d+)"/g)].map((match) => Number(match[1]))
}

/**
 * Event ids (`evt_...`) of the webhook deliveries a page shows, in order.
 */
function listedEvents(html: string): string[] {
  return [...html.matchAll(/data-event-id="([^"]+)"/g)].map((match) => match[1])
}

function at(iso: string) {
  return DateTime.fromISO(iso)
}

/**
 * Two shoppers, a machine with a coffee slot and six payments:
 *
 * | payment | shopper        | purpose | status  | card refund              | created          |
 * | p1      | Brave-Otter-12 | top_up  | paid    | —                        | 2026-03-01 10:00 |
 * | p2      | Brave-Otter-12 | vend    | paid    | processed (order o)      | 2026-03-02 12:00 |
 * | p3      | calm-heron-7   | top_up  | created | —                        | 2026-03-03 09:00 |
 * | p4      | calm-heron-7   | vend    | paid    | failed                   | 2026-03-04 09:00 |
 * | p5      | calm-heron-7   | vend    | paid    | pending, paid 30 min ago | 2026-03-05 09:00 |
 * | p6      | calm-heron-7   | vend    | paid    | pending, paid 30 min ago | 2026-03-06 09:00 |
 *
 * p6's order was refunded a minute ago, so its refund is only a minute
 * old; p5's was due when the money came (its unit was gone).
 */
async function seedPayments() {
  const machine = await MachineFactory.merge({ code: 'lobby-01', name: 'Lobby snacks' }).create()
  const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4550 }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: coffee.id,
    number: 3,
  }).create()
  const otter = await UserFactory.merge({ username: 'Brave-Otter-12' }).create()
  const heron = await UserFactory.merge({ username: 'calm-heron-7' }).create()
  const vend = { machineId: machine.id, slotId: slot.id, productId: coffee.id, amountPaise: 4550 }

  const p1 = await PaymentFactory.merge({
    userId: otter.id,
    amountPaise: 20000,
    createdAt: at('2026-03-01T10:00:00'),
  }).create()
  const p2 = await PaymentFactory.apply('vend')
    .merge({
      userId: otter.id,
      ...vend,
      providerOrderId: 'order_OtterCoffee0001',
      providerPaymentId: 'pay_OtterCoffee0001',
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: 'rfnd_OtterCoffee0001',
      refundedAt: at('2026-03-02T12:05:00'),
      createdAt: at('2026-03-02T12:00:00'),
    })
    .create()
  const order = await OrderFactory.merge({
    userId: otter.id,
    machineId: machine.id,
    slotId: slot.id,
    slotNumber: 3,
    productId: coffee.id,
    pricePaise: 4550,
    paymentId: p2.id,
    createdAt: at('2026-03-02T12:01:00'),
  }).create()
  const p3 = await PaymentFactory.apply('created')
    .merge({ userId: heron.id, createdAt: at('2026-03-03T09:00:00') })
    .create()
  const p4 = await PaymentFactory.apply('vend')
    .merge({
      userId: heron.id,
      ...vend,
      refundStatus: CardRefundStatus.Failed,
      refundError: 'BAD_REQUEST_ERROR: The refund amount is invalid',
      createdAt: at('2026-03-04T09:00:00'),
    })
    .create()
  const halfAnHourAgo = DateTime.now().minus({ minutes: 30 })
  const p5 = await PaymentFactory.apply('vend')
    .merge({
      userId: heron.id,
      ...vend,
      refundStatus: CardRefundStatus.Pending,
      paidAt: halfAnHourAgo,
      createdAt: at('2026-03-05T09:00:00'),
    })
    .create()
  const p6 = await PaymentFactory.apply('vend')
    .merge({
      userId: heron.id,
      ...vend,
      refundStatus: CardRefundStatus.Pending,
      paidAt: halfAnHourAgo,
      createdAt: at('2026-03-06T09:00:00'),
    })
    .create()
  await OrderFactory.merge({
    userId: heron.id,
    machineId: machine.id,
    slotId: slot.id,
    slotNumber: 3,
    productId: coffee.id,
    pricePaise: 4550,
    paymentId: p6.id,
    status: OrderStatus.Refunded,
    failureReason: 'jam',
    createdAt: halfAnHourAgo,
    refundedAt: DateTime.now().minus({ minutes: 1 }),
  }).create()

  return { machine, coffee, otter, heron, order, p1, p2, p3, p4, p5, p6 }
}

test.group('Admin payments: access', (group) => {
  group.each.setup(truncateAll)

  test('sends an anonymous visitor to the login page', async ({ client }) => {
    for (const path of ['/admin/payments', '/admin/payments/1', '/admin/payments/events']) {
      const response = await client.get(path).header('accept', 'text/html').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/admin/login')
    }
  })

  test('refuses a shopper with 403, by token or by session', async ({ client }) => {
    const { user, token } = await createShopper()
    const payment = await PaymentFactory.merge({ userId: user.id }).create()
    for (const path of [
      '/admin/payments',
      `/admin/payments/${payment.id}`,
      '/admin/payments/events',
    ]) {
      const byToken = await client.get(path).bearerToken(token).header('accept', 'text/html')
      byToken.assertStatus(403)
      const bySession = await client.get(path).loginAs(user).header('accept', 'text/html')
      bySession.assertStatus(403)
    }
  })
})

test.group('Admin payments: list', (group) => {
  group.each.setup(truncateAll)

  test('lists payments newest first with shopper, amount, status, Razorpay ids, refund and order', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { otter, order, p1, p2, p3, p4, p5, p6 } = await seedPayments()

    const page = await client.get('/admin/payments').withGuard('web').loginAs(admin)
    page.assertStatus(200)
    assert.deepEqual(listedIds(page.text()), [p6.id, p5.id, p4.id, p3.id, p2.id, p1.id])
    page.assertTextIncludes('6 payments')
    page.assertTextIncludes(`<a href="/admin/shoppers/${otter.id}">Brave-Otter-12</a>`)
    page.assertTextIncludes('₹200.00')
    page.assertTextIncludes('₹45.50')
    page.assertTextIncludes('<code>order_OtterCoffee0001</code>')
    page.assertTextIncludes('<code>pay_OtterCoffee0001</code>')
    page.assertTextIncludes('<span class="badge refund-processed">processed</span>')
    page.assertTextIncludes('<span class="badge pay-created">created</span>')
    page.assertTextIncludes(`<a href="/admin/orders/${order.id}">#${order.id}</a>`)
    page.assertTextIncludes('02 Mar 2026, 12:00')
    assertNoRawEdge(assert, page.text())
    // The panel links to it.
    page.assertTextIncludes('<a href="/admin/payments" aria-current="page">Payments</a>')
  })

  test('filters by status, purpose, card refund state and search', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { p1, p2, p3, p4, p5, p6 } = await seedPayments()
    const ids = async (query: string) => {
      const page = await client.get(`/admin/payments?${query}`).withGuard('web').loginAs(admin)
      page.assertStatus(200)
      return listedIds(page.text())
    }

    assert.deepEqual(await ids('status=created'), [p3.id])
    assert.deepEqual(await ids('purpose=top_up'), [p3.id, p1.id])
    assert.deepEqual(await ids('purpose=vend&status=paid'), [p6.id, p5.id, p4.id, p2.id])
    assert.deepEqual(await ids('refund=processed'), [p2.id])
    assert.deepEqual(await ids('refund=pending'), [p6.id, p5.id])
    // Needing attention: failed, or pending over 10 minutes after it became due.
    assert.deepEqual(await ids('refund=attention'), [p5.id, p4.id])
    // Search: a shopper's name (any part, any case), a Razorpay id, a payment number.
    assert.deepEqual(await ids('q=OTTER'), [p2.id, p1.id])
    assert.deepEqual(await ids('q=pay_OtterCoffee0001'), [p2.id])
    assert.deepEqual(await ids('q=order_ottercoffee'), [p2.id])
    assert.deepEqual(await ids('q=rfnd_OtterCoffee0001'), [p2.id])
    assert.deepEqual(await ids(`q=%23${p3.id}`), [p3.id])
    assert.deepEqual(await ids('q=heron&purpose=vend&refund=attention'), [p5.id, p4.id])
    assert.deepEqual(await ids('q=100%25'), [])
    // Empty inputs from the filter form mean "any".
    assert.lengthOf(await ids('status=&purpose=&refund=&q='), 6)
  })

  test('ignores a bad filter value instead of failing, and keeps the good ones', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { p3, p1 } = await seedPayments()

    const page = await client
      .get('/admin/payments?status=bogus&purpose=top_up&refund=DROP%20TABLE&page=-3')
      .withGuard('web')
      .loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('Some filters were not understood and are ignored')
    assert.deepEqual(listedIds(page.text()), [p3.id, p1.id])

    const tooLong = await client
      .get(`/admin/payments?q=${'x'.repeat(500)}&page=abc`)
      .withGuard('web')
      .loginAs(admin)
    tooLong.assertStatus(200)
    assert.lengthOf(listedIds(tooLong.text()), 6)

    const repeated = await client
      .get('/admin/payments?status=paid&status=created')
      .withGuard('web')
      .loginAs(admin)
    repeated.assertStatus(200)

    const events = await client
      .get('/admin/payments/events?outcome=%3Cscript%3E&page=0')
      .withGuard('web')
      .loginAs(admin)
    events.assertStatus(200)
    events.assertTextIncludes('Some filters were not understood and are ignored')
    assert.notInclude(events.text(), '<script>')

    const missing = await client.get('/admin/payments/999999').withGuard('web').loginAs(admin)
    missing.assertStatus(404)
    const notANumber = await client.get('/admin/payments/abc').withGuard('web').loginAs(admin)
    notANumber.assertStatus(404)
  })

  test('pages through 50 payments at a time', async ({ client, assert }) => {
    const admin = await createAdmin()
    const shopper = await UserFactory.create()
    await PaymentFactory.merge({ userId: shopper.id }).createMany(55)

    const first = await client.get('/admin/payments').withGuard('web').loginAs(admin)
    assert.lengthOf(listedIds(first.text()), 50)
    first.assertTextIncludes('Page 1 of 2')
    const second = await client.get('/admin/payments?page=2').withGuard('web').loginAs(admin)
    assert.lengthOf(listedIds(second.text()), 5)
  })
})

test.group('Admin payments: detail and webhook log', (group) => {
  group.each.setup(truncateAll)

  test('shows a payment with its shopper, item, order, card refund and every matching webhook event', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { otter, order, machine, p2, p4 } = await seedPayments()
    // About p2: linked by payment_id, by the Razorpay payment id only, and
    // by the Razorpay order id only (events matched before the row was).
    await PaymentEventFactory.merge({
      eventId: 'evt_ByPaymentRow01',
      event: 'payment.captured',
      paymentId: p2.id,
      providerOrderId: p2.providerOrderId,
      providerPaymentId: p2.providerPaymentId,
      receivedAt: at('2026-03-02T12:00:30'),
    }).create()
    await PaymentEventFactory.merge({
      eventId: 'evt_ByPayId000002',
      event: 'payment.authorized',
      providerPaymentId: p2.providerPaymentId,
      outcome: 'ignored',
      receivedAt: at('2026-03-02T12:00:10'),
    }).create()
    await PaymentEventFactory.merge({
      eventId: 'evt_ByOrderId0003',
      event: 'order.paid',
      providerOrderId: p2.providerOrderId,
      payload: 'not json {',
      outcome: 'error',
      error: 'Unexpected token',
      deliveries: 3,
      receivedAt: at('2026-03-02T12:00:40'),
    }).create()
    // About another payment: not shown.
    await PaymentEventFactory.merge({
      eventId: 'evt_OtherPayment4',
      paymentId: p4.id,
      providerOrderId: p4.providerOrderId,
      providerPaymentId: p4.providerPaymentId,
    }).create()

    const page = await client.get(`/admin/payments/${p2.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    const html = page.text()
    page.assertTextIncludes(`<a href="/admin/shoppers/${otter.id}">Brave-Otter-12</a>`)
    page.assertTextIncludes('Cold Coffee')
    page.assertTextIncludes(`<a href="/admin/machines/${machine.id}">lobby-01</a>`)
    page.assertTextIncludes(`<a href="/admin/orders/${order.id}">Order #${order.id}</a>`)
    page.assertTextIncludes('₹45.50')
    page.assertTextIncludes('pay_OtterCoffee0001')
    page.assertTextIncludes('<span class="badge refund-processed">processed</span>')
    page.assertTextIncludes('rfnd_OtterCoffee0001')
    // Oldest first, only this payment's.
    assert.deepEqual(listedEvents(html), [
      'evt_ByPayId000002',
      'evt_ByPaymentRow01',
      'evt_ByOrderId0003',
    ])
    assert.equal((html.match(/<details class="payment-event"/g) ?? []).length, 3)
    // JSON payloads pretty-printed (and escaped), other bodies as received.
    assert.include(html, '{\n  &quot;entity&quot;: &quot;event&quot;,\n  &quot;account_id&quot;')
    assert.include(html, `&quot;id&quot;: &quot;pay_OtterCoffee0001&quot;`)
    assert.include(html, '<pre class="payload"><code>not json {</code></pre>')
    page.assertTextIncludes('Unexpected token')
    page.assertTextIncludes('3 deliveries')
    assertNoRawEdge(assert, html)
  })

  test('shows a failed card refund with its error', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { p4 } = await seedPayments()
    const page = await client.get(`/admin/payments/${p4.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('<span class="badge refund-failed">failed</span>')
    page.assertTextIncludes('BAD_REQUEST_ERROR: The refund amount is invalid')
    page.assertTextIncludes('No webhook event about this payment.')
    assertNoRawEdge(assert, page.text())
  })

  test('lists webhook deliveries newest first with outcome, error, deliveries and the payment', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const { p1, p2 } = await seedPayments()
    await PaymentEventFactory.merge({
      eventId: 'evt_Linked0000001',
      paymentId: p1.id,
      providerOrderId: p1.providerOrderId,
      providerPaymentId: p1.providerPaymentId,
      receivedAt: at('2026-03-01T10:01:00'),
    }).create()
    await PaymentEventFactory.merge({
      eventId: 'evt_FailedTwice02',
      event: 'payment.captured',
      providerPaymentId: p2.providerPaymentId,
      outcome: 'error',
      error: 'SQLITE_BUSY: database is locked',
      deliveries: 2,
      receivedAt: at('2026-03-02T12:00:30'),
      processedAt: null,
    }).create()
    await PaymentEventFactory.merge({
      eventId: 'evt_Unknown000003',
      event: 'refund.processed',
      providerPaymentId: 'pay_NobodyKnows001',
      outcome: 'ignored',
      receivedAt: at('2026-03-03T08:00:00'),
    }).create()

    const log = await client.get('/admin/payments/events').withGuard('web').loginAs(admin)
    log.assertStatus(200)
    const html = log.text()
    assert.deepEqual(listedEvents(html), [
      'evt_Unknown000003',
      'evt_FailedTwice02',
      'evt_Linked0000001',
    ])
    log.assertTextIncludes('3 deliveries from Razorpay')
    log.assertTextIncludes('<code>refund.processed</code>')
    log.assertTextIncludes('<span class="badge outcome-error">error</span>')
    log.assertTextIncludes('SQLITE_BUSY: database is locked')
    log.assertTextIncludes('<td data-label="Deliveries" class="num">2</td>')
    // Linked by payment_id, or found by the Razorpay payment id.
    log.assertTextIncludes(`<a href="/admin/payments/${p1.id}">#${p1.id}</a>`)
    log.assertTextIncludes(`<a href="/admin/payments/${p2.id}">#${p2.id}</a>`)
    assertNoRawEdge(assert, html)

    const errors = await client
      .get('/admin/payments/events?outcome=error')
      .withGuard('web')
      .loginAs(admin)
    assert.deepEqual(listedEvents(errors.text()), ['evt_FailedTwice02'])
  })
})

test.group('Admin payments: on the order and shopper pages', (group) => {
  group.each.setup(truncateAll)

  test('an order paid by card links to its payment', async ({ client, assert }) => {
    const admin = await createAdmin()
    const { order, p2, machine, coffee, heron } = await seedPayments()
    const page = await client.get(`/admin/orders/${order.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes(
      `Paid by card: <a href="/admin/payments/${p2.id}">payment #${p2.id}</a>`
    )

    const walletOrder = await OrderFactory.merge({
      userId: heron.id,
      machineId: machine.id,
      slotId: (await machine.related('slots').query().firstOrFail()).id,
      productId: coffee.id,
    }).create()
    const walletPage = await client
      .get(`/admin/orders/${walletOrder.id}`)
      .withGuard('web')
      .loginAs(admin)
    walletPage.assertStatus(200)
    assert.notInclude(walletPage.text(), 'Paid by card')
  })

  test("a shopper's page lists their latest card payments", async ({ client, assert }) => {
    const admin = await createAdmin()
    const { otter, heron, p1, p2, p6, p5, p4, p3 } = await seedPayments()

    const page = await client.get(`/admin/shoppers/${otter.id}`).withGuard('web').loginAs(admin)
    page.assertStatus(200)
    assert.deepEqual(listedIds(page.text()), [p2.id, p1.id])
    page.assertTextIncludes('Card payments')

    await PaymentFactory.merge({
      userId: heron.id,
      createdAt: at('2026-01-01T00:00:00'),
    }).createMany(20)
    const busy = await client.get(`/admin/shoppers/${heron.id}`).withGuard('web').loginAs(admin)
    const listed = listedIds(busy.text())
    assert.lengthOf(listed, 20)
    assert.deepEqual(listed.slice(0, 4), [p6.id, p5.id, p4.id, p3.id])

    const nobody = await UserFactory.create()
    const empty = await client.get(`/admin/shoppers/${nobody.id}`).withGuard('web').loginAs(admin)
    empty.assertTextIncludes('No card payments yet.')
  })
})
