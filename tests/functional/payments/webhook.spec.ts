import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { PaymentStatus } from '#enums/payment_status'
import Slot from '#models/slot'
import { PaymentEventFactory } from '#database/factories/payment_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import { hmacHex } from '#tests/helpers/fake_razorpay'
import {
  countRows,
  deliver,
  openTopUp,
  paymentEvents,
  paymentRow,
  useFakeRazorpay,
  verify,
} from '#tests/helpers/payments'

/*
 * Razorpay's webhook: the path that still credits when the
 * shopper's browser never comes back from Checkout. Every delivery is
 * signed by the fake Razorpay with the webhook secret over the exact body
 * bytes, and sent to the real server. Tables are truncated between tests:
 * several deliveries run at once on their own connections.
 */
test.group('Razorpay webhook', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  /**
   * Ways a delivery can fail the signature check, each given a genuine
   * delivery to spoil.
   */
  const badSignatures: {
    title: string
    spoil: (delivery: ReturnType<typeof fake.paymentCaptured>) => {
      body: string
      headers: Record<string, string>
      omit?: string[]
    }
  }[] = [
    {
      title: 'no X-Razorpay-Signature',
      spoil: (d) => ({ body: d.body, headers: d.headers, omit: ['x-razorpay-signature'] }),
    },
    {
      title: 'an empty signature',
      spoil: (d) => ({ body: d.body, headers: { ...d.headers, 'x-razorpay-signature': '' } }),
    },
    {
      title: 'a signature made with another secret',
      spoil: (d) => ({
        body: d.body,
        headers: { ...d.headers, 'x-razorpay-signature': hmacHex(d.body, 'guessed-secret') },
      }),
    },
    {
      title: 'a signature made with the key secret instead of the webhook secret',
      spoil: (d) => ({
        body: d.body,
        headers: { ...d.headers, 'x-razorpay-signature': hmacHex(d.body, fake.keySecret) },
      }),
    },
    {
      title: 'a genuine signature over a tampered body (amount raised)',
      spoil: (d) => ({
        body: d.body.replace('"amount":20000', '"amount":2000000'),
        headers: d.headers,
      }),
    },
    {
      title: 'a genuine signature over the body re-serialized with spaces',
      spoil: (d) => ({ body: JSON.stringify(JSON.parse(d.body), null, 2), headers: d.headers }),
    },
    {
      title: 'a signature that is not hex',
      spoil: (d) => ({
        body: d.body,
        headers: { ...d.headers, 'x-razorpay-signature': 'x'.repeat(64) },
      }),
    },
  ]

  test('refuses a delivery with {title} with 400 and stores nothing')
    .with(badSignatures)
    .run(async ({ client, assert }, { spoil }) => {
      const shopper = await createShopper({ balancePaise: 100 })
      const { paymentId, orderId } = await openTopUp(client, shopper, 20_000)
      const genuine = fake.paymentCaptured(fake.pay(orderId))
      const bad = spoil(genuine)
      const before = await snapshot()

      const response = await deliver(client, bad, bad.omit)

      assertApiError(response, 400, 'invalid_signature')
      assert.equal(await countRows('payment_events'), 0)
      assert.deepEqual(await snapshot(), before)
      assert.equal((await paymentRow(paymentId)).status, PaymentStatus.Created)

      // The genuine delivery still works, once.
      const real = await deliver(client, genuine)
      real.assertStatus(200)
      assert.equal(real.body().outcome, 'credited')
      assert.equal(await balanceOf(shopper.user.id), 20_100)
      assert.deepEqual(await ledgerDiscrepancies(), [])
    })

  test('credits a top-up once from payment.captured when the browser never came back', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper({ balancePaise: 100 })
    const { paymentId, orderId } = await openTopUp(client, shopper, 20_000)
    const payment = fake.pay(orderId)
    const delivery = fake.paymentCaptured(payment)

    const response = await deliver(client, delivery)

    response.assertStatus(200)
    assert.deepEqual(response.body(), { outcome: 'credited' })
    assert.equal(await balanceOf(shopper.user.id), 20_100)
    const rows = await ledgerRowsOf(shopper.user.id)
    assert.lengthOf(rows, 2)
    assert.deepInclude(rows[1], {
      kind: 'topup',
      amountPaise: 20_000,
      balanceAfterPaise: 20_100,
      externalReference: `payment:${paymentId}`,
    })
    assert.containsSubset(await paymentRow(paymentId), {
      status: PaymentStatus.Paid,
      providerPaymentId: payment.id,
    })

    // Stored for admins as received, byte for byte, with what it did.
    const events = await paymentEvents()
    assert.lengthOf(events, 1)
    assert.deepInclude(events[0], {
      eventId: delivery.eventId,
      event: 'payment.captured',
      outcome: 'credited',
      deliveries: 1,
      paymentId,
      providerOrderId: orderId,
      providerPaymentId: payment.id,
      payload: delivery.body,
      error: null,
      processed: true,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once when the webhook comes first and the browser verifies after', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { orderId } = await openTopUp(client, shopper, 12_300)
    const checkout = fake.simulateCheckout(orderId)

    const hooked = await deliver(client, fake.paymentCaptured(checkout.payment))
    const verified = await verify(client, shopper.token, checkout)

    assert.equal(hooked.body().outcome, 'credited')
    verified.assertStatus(200)
    assert.equal(verified.body().outcome, 'already_paid')
    assert.equal(verified.body().balance_paise, 12_300)
    assert.equal(await balanceOf(shopper.user.id), 12_300)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once when the browser verifies first and the webhook comes after', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 12_300)
    const checkout = fake.simulateCheckout(orderId)

    const verified = await verify(client, shopper.token, checkout)
    const hooked = await deliver(client, fake.paymentCaptured(checkout.payment))

    assert.equal(verified.body().outcome, 'credited')
    hooked.assertStatus(200)
    assert.equal(hooked.body().outcome, 'already_paid')
    assert.equal(await balanceOf(shopper.user.id), 12_300)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 1)
    const [event] = await paymentEvents()
    assert.deepInclude(event, { outcome: 'already_paid', paymentId })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once from order.paid, and payment.captured for the same payment changes nothing', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper({ balancePaise: 50 })
    const { paymentId, orderId } = await openTopUp(client, shopper, 9_900)
    const payment = fake.pay(orderId)

    const orderPaid = await deliver(client, fake.orderPaid(payment))
    const captured = await deliver(client, fake.paymentCaptured(payment))

    assert.equal(orderPaid.body().outcome, 'credited')
    assert.equal(captured.body().outcome, 'already_paid')
    assert.equal(await balanceOf(shopper.user.id), 9_950)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 2)
    const events = await paymentEvents()
    assert.deepEqual(
      events.map((event) => [event.event, event.outcome, event.paymentId]),
      [
        ['order.paid', 'credited', paymentId],
        ['payment.captured', 'already_paid', paymentId],
      ]
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('answers duplicate for a redelivered event and counts the delivery', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { orderId } = await openTopUp(client, shopper, 30_000)
    const delivery = fake.paymentCaptured(fake.pay(orderId))

    const first = await deliver(client, delivery)
    const second = await deliver(client, delivery)

    assert.deepEqual(first.body(), { outcome: 'credited' })
    second.assertStatus(200)
    assert.deepEqual(second.body(), { outcome: 'duplicate' })
    const events = await paymentEvents()
    assert.lengthOf(events, 1)
    assert.deepInclude(events[0], { outcome: 'credited', deliveries: 2 })
    assert.equal(await balanceOf(shopper.user.id), 30_000)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once from 10 simultaneous deliveries of one event', async ({ client, assert }) => {
    const shopper = await createShopper()
    const { orderId } = await openTopUp(client, shopper, 45_000)
    const delivery = fake.paymentCaptured(fake.pay(orderId))

    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(client, delivery)))

    for (const response of responses) response.assertStatus(200)
    const outcomes = responses.map((response) => response.body().outcome)
    assert.deepEqual(
      outcomes.filter((outcome) => outcome !== 'duplicate'),
      ['credited']
    )
    const events = await paymentEvents()
    assert.lengthOf(events, 1)
    assert.deepInclude(events[0], { outcome: 'credited', deliveries: 10 })
    assert.equal(await balanceOf(shopper.user.id), 45_000)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once from payment.captured, order.paid and the browser all arriving at once', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper({ balancePaise: 1 })
    const { paymentId, orderId } = await openTopUp(client, shopper, 45_000)
    const checkout = fake.simulateCheckout(orderId)
    const captured = fake.paymentCaptured(checkout.payment)
    const orderPaid = fake.orderPaid(checkout.payment)

    const responses = await Promise.all([
      ...Array.from({ length: 4 }, () => deliver(client, captured)),
      ...Array.from({ length: 4 }, () => deliver(client, orderPaid)),
      ...Array.from({ length: 2 }, () => verify(client, shopper.token, checkout)),
    ])

    for (const response of responses) response.assertStatus(200)
    const outcomes = responses.map((response) => response.body().outcome)
    assert.equal(
      outcomes.filter((outcome) => outcome === 'credited').length,
      1,
      outcomes.join(', ')
    )
    for (const outcome of outcomes) assert.oneOf(outcome, ['credited', 'already_paid', 'duplicate'])
    const events = await paymentEvents()
    assert.lengthOf(events, 2)
    assert.sameMembers(
      events.map((event) => event.deliveries),
      [4, 4]
    )
    for (const event of events) {
      assert.include(['credited', 'already_paid'], event.outcome)
      assert.equal(event.paymentId, paymentId)
    }
    assert.equal(await balanceOf(shopper.user.id), 45_001)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 2)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('releases the held unit of a pay-per-vend payment on payment.failed', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 2500,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const paid = await client
      .post(`/api/v1/products/${product.id}/pay`)
      .bearerToken(shopper.token)
      .json({ machine: machine.code })
    paid.assertStatus(201)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 2)
    const declined = fake.decline(paid.body().checkout.order_id)

    const response = await deliver(client, fake.paymentFailed(declined))

    response.assertStatus(200)
    assert.equal(response.body().outcome, 'hold_released')
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    assert.containsSubset(await paymentRow(paid.body().payment.id), {
      status: PaymentStatus.Failed,
      stockHeld: false,
      failureReason: 'Your payment has been declined by the bank.',
    })
    assert.equal(await countRows('orders'), 0)
    assert.lengthOf(device.commands, 0)

    // A second failed attempt on the same order gives nothing back twice.
    const again = await deliver(
      client,
      fake.paymentFailed(fake.decline(paid.body().checkout.order_id))
    )
    assert.equal(again.body().outcome, 'ignored')
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('ignores payment.failed for an attempt on an order that was paid later', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 5_000)
    const declined = fake.decline(orderId)
    const checkout = fake.simulateCheckout(orderId)
    await verify(client, shopper.token, checkout)

    // Razorpay's webhooks come in any order: the failed first attempt last.
    const response = await deliver(client, fake.paymentFailed(declined))

    assert.equal(response.body().outcome, 'ignored')
    assert.equal((await paymentRow(paymentId)).status, PaymentStatus.Paid)
    assert.equal(await balanceOf(shopper.user.id), 5_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('retries on redelivery an event whose handling failed before', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 8_000)
    const delivery = fake.paymentCaptured(fake.pay(orderId))
    // The first delivery was stored, then handling failed (answered 500,
    // so Razorpay redelivers), as the webhook handler records it.
    await PaymentEventFactory.merge({
      eventId: delivery.eventId,
      event: 'payment.captured',
      providerOrderId: orderId,
      payload: delivery.body,
      outcome: 'error',
      error: 'Connection terminated unexpectedly',
      processedAt: DateTime.now(),
    }).create()

    const response = await deliver(client, delivery)

    response.assertStatus(200)
    assert.equal(response.body().outcome, 'credited')
    const [event] = await paymentEvents()
    assert.deepInclude(event, {
      outcome: 'credited',
      deliveries: 2,
      error: null,
      paymentId,
      processed: true,
    })
    assert.equal(await balanceOf(shopper.user.id), 8_000)

    const again = await deliver(client, delivery)
    assert.equal(again.body().outcome, 'duplicate')
    assert.equal(await balanceOf(shopper.user.id), 8_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('handles on redelivery an event left unhandled by a process that died while handling it', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 8_000)
    const delivery = fake.paymentCaptured(fake.pay(orderId))
    // Stored, then the process died before handling it: no answer reached
    // Razorpay, which redelivers a few minutes later.
    await PaymentEventFactory.merge({
      eventId: delivery.eventId,
      event: 'payment.captured',
      providerOrderId: orderId,
      payload: delivery.body,
      outcome: 'received',
      receivedAt: DateTime.now().minus({ minutes: 5 }),
      processedAt: null,
    }).create()

    const response = await deliver(client, delivery)

    response.assertStatus(200)
    assert.equal(response.body().outcome, 'credited')
    const [event] = await paymentEvents()
    assert.deepInclude(event, { outcome: 'credited', deliveries: 2, paymentId, processed: true })
    assert.equal(await balanceOf(shopper.user.id), 8_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('stores and ignores event types it does not act on', async ({ client, assert }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 8_000)
    const payment = fake.pay(orderId)
    const before = await snapshot()

    const authorized = await deliver(client, fake.webhook('payment.authorized', { payment }))
    const dispute = await deliver(client, fake.webhook('payment.dispute.created', { payment }))

    assert.deepEqual(authorized.body(), { outcome: 'ignored' })
    assert.deepEqual(dispute.body(), { outcome: 'ignored' })
    assert.deepEqual(await snapshot(), before)
    assert.equal((await paymentRow(paymentId)).status, PaymentStatus.Created)
    assert.deepEqual(
      (await paymentEvents()).map((event) => [event.event, event.outcome, event.providerPaymentId]),
      [
        ['payment.authorized', 'ignored', payment.id],
        ['payment.dispute.created', 'ignored', payment.id],
      ]
    )
  })

  test('stores a capture for a Razorpay order that is not ours and changes nothing', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { orderId } = await openTopUp(client, shopper, 8_000)
    // Another integration on the same Razorpay account.
    const strangerOrder = { ...fake.orders.get(orderId)!, id: 'order_NotOurs00000001' }
    fake.orders.set(strangerOrder.id, strangerOrder)
    const before = await snapshot()

    const response = await deliver(client, fake.paymentCaptured(fake.pay(strangerOrder.id)))

    assert.deepEqual(response.body(), { outcome: 'unknown_order' })
    assert.deepEqual(await snapshot(), before)
    assert.equal((await paymentEvents())[0].outcome, 'unknown_order')
  })

  test('credits nothing for a capture whose amount is not the payment amount', async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()
    const { paymentId, orderId } = await openTopUp(client, shopper, 8_000)
    const payment = { ...fake.pay(orderId), amount: 800_000 }
    const before = await snapshot()

    const response = await deliver(client, fake.paymentCaptured(payment))

    assert.deepEqual(response.body(), { outcome: 'amount_mismatch' })
    assert.deepEqual(await snapshot(), before)
    assert.equal((await paymentRow(paymentId)).status, PaymentStatus.Created)
  })

  test('refuses a signed body that is not a Razorpay event with 400 invalid_payload', async ({
    client,
    assert,
  }) => {
    const body = JSON.stringify({ hello: 'world' })
    const response = await client
      .post('/webhooks/razorpay')
      .headers({
        'content-type': 'application/json',
        'x-razorpay-signature': hmacHex(body, fake.webhookSecret),
      })
      .unsafeJson(body)

    assertApiError(response, 400, 'invalid_payload')
    assert.equal(await countRows('payment_events'), 0)
  })
})
