import { test } from '@japa/runner'
import { PaymentStatus } from '#enums/payment_status'
import Payment from '#models/payment'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import { freeTcpPort, SERVER_BOOT_TIMEOUT_MS, startProcess } from '#tests/helpers/processes'
import { hmacHex, razorpayId, type CheckoutResponse } from '#tests/helpers/fake_razorpay'
import {
  countRows,
  fakeRazorpaySettings,
  paymentRow,
  useFakeRazorpay,
  useGatewayForTest,
  verify,
} from '#tests/helpers/payments'

/*
 * Wallet top-ups through Razorpay: add_balance opens a Razorpay
 * order and hands Checkout what it needs; the wallet is credited once, when
 * the browser comes back with Razorpay's signature (or the webhook says so,
 * see webhook.spec.ts). The SDK talks to a fake Razorpay server; the
 * signature checks are the app's own.
 */
test.group('Razorpay top-ups', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('opens a Razorpay order and hands Checkout the key id, never a secret', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper({ balancePaise: 1500 })

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 25_000 })

    response.assertStatus(201)
    const body = response.body()
    assert.equal(body.balance_paise, 1500)
    assert.isFalse(body.replayed)
    assert.notProperty(body, 'transaction')

    const [call] = fake.orderCalls()
    assert.lengthOf(fake.orderCalls(), 1)
    assert.deepEqual(call.auth, { user: fake.keyId, password: fake.keySecret })
    assert.deepEqual(call.body, {
      amount: 25_000,
      currency: 'INR',
      receipt: `payment:${body.payment.id}`,
      notes: { purpose: 'top_up', payment_id: String(body.payment.id) },
    })
    const [orderId] = [...fake.orders.keys()]

    assert.sameMembers(Object.keys(body.payment), [
      'id',
      'purpose',
      'provider',
      'status',
      'amount_paise',
      'currency',
      'provider_order_id',
      'provider_payment_id',
      'machine_id',
      'product_id',
      'hold_expires_at',
      'failure_reason',
      'refund_status',
      'created_at',
      'paid_at',
    ])
    assert.containsSubset(body.payment, {
      purpose: 'top_up',
      provider: 'razorpay',
      status: PaymentStatus.Created,
      amount_paise: 25_000,
      currency: 'INR',
      provider_order_id: orderId,
      provider_payment_id: null,
      paid_at: null,
    })
    assert.deepEqual(body.checkout, {
      key: fake.keyId,
      order_id: orderId,
      amount: 25_000,
      currency: 'INR',
      name: 'Vendora',
      description: 'Wallet top-up',
    })

    const raw = JSON.stringify(body)
    assert.notInclude(raw, fake.keySecret)
    assert.notInclude(raw, fake.webhookSecret)

    // Nothing is credited before Razorpay says the money is in.
    assert.equal(await balanceOf(user.id), 1500)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits the wallet exactly once when the browser returns with a valid signature', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper({ balancePaise: 1500 })
    const opened = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 25_000 })
    opened.assertStatus(201)
    const paymentId = opened.body().payment.id
    const checkout = fake.simulateCheckout(opened.body().checkout.order_id)

    const confirmed = await verify(client, token, checkout)

    confirmed.assertStatus(200)
    assert.equal(confirmed.body().outcome, 'credited')
    assert.equal(confirmed.body().balance_paise, 26_500)
    assert.isNull(confirmed.body().order)
    assert.containsSubset(confirmed.body().payment, {
      id: paymentId,
      status: PaymentStatus.Paid,
      provider_payment_id: checkout.razorpay_payment_id,
    })
    assert.isString(confirmed.body().payment.paid_at)

    assert.equal(await balanceOf(user.id), 26_500)
    const rows = await ledgerRowsOf(user.id)
    assert.lengthOf(rows, 2)
    assert.deepInclude(rows[1], {
      kind: 'topup',
      amountPaise: 25_000,
      balanceAfterPaise: 26_500,
      orderId: null,
      externalReference: `payment:${paymentId}`,
    })

    // The same response again (a double-clicked button, a reloaded page).
    const replayed = await verify(client, token, checkout)

    replayed.assertStatus(200)
    assert.equal(replayed.body().outcome, 'already_paid')
    assert.equal(replayed.body().balance_paise, 26_500)
    assert.equal(await balanceOf(user.id), 26_500)
    assert.lengthOf(await ledgerRowsOf(user.id), 2)
    assert.equal((await paymentRow(paymentId)).status, PaymentStatus.Paid)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('credits once when the same valid response is sent 10 times at once', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const opened = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 10_000 })
    const checkout = fake.simulateCheckout(opened.body().checkout.order_id)

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => verify(client, token, checkout))
    )

    for (const response of responses) response.assertStatus(200)
    const outcomes = responses.map((response) => response.body().outcome).sort()
    assert.deepEqual(outcomes, [
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'already_paid',
      'credited',
    ])
    assert.equal(await balanceOf(user.id), 10_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  /**
   * Ways to forge Checkout's response for a real, paid top-up: each is
   * given the real order and payment, and another paid order of the same
   * shopper.
   */
  const forgeries: {
    title: string
    forge: (
      real: CheckoutResponse,
      other: CheckoutResponse,
      secrets: { keySecret: string; webhookSecret: string }
    ) => CheckoutResponse
  }[] = [
    {
      title: 'a signature made with another key secret',
      forge: (real) => ({
        ...real,
        razorpay_signature: hmacHex(
          `${real.razorpay_order_id}|${real.razorpay_payment_id}`,
          'not-the-key-secret'
        ),
      }),
    },
    {
      title: 'a signature made with the webhook secret',
      forge: (real, _other, secrets) => ({
        ...real,
        razorpay_signature: hmacHex(
          `${real.razorpay_order_id}|${real.razorpay_payment_id}`,
          secrets.webhookSecret
        ),
      }),
    },
    {
      title: 'a real signature with the payment id swapped for another',
      forge: (real) => ({ ...real, razorpay_payment_id: razorpayId('pay') }),
    },
    {
      title: "a real signature sent with another order's id",
      forge: (real, other) => ({ ...real, razorpay_order_id: other.razorpay_order_id }),
    },
    {
      title: "another payment's real signature",
      forge: (real, other) => ({ ...real, razorpay_signature: other.razorpay_signature }),
    },
    {
      title: 'the fields signed in the wrong order (payment|order)',
      forge: (real, _other, secrets) => ({
        ...real,
        razorpay_signature: hmacHex(
          `${real.razorpay_payment_id}|${real.razorpay_order_id}`,
          secrets.keySecret
        ),
      }),
    },
    {
      title: 'a well-formed signature of zeros',
      forge: (real) => ({ ...real, razorpay_signature: '0'.repeat(64) }),
    },
  ]

  test('refuses {title} with 400 invalid_signature and changes nothing')
    .with(forgeries)
    .run(async ({ client, assert }, { forge }) => {
      const { user, token } = await createShopper({ balancePaise: 700 })
      const first = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 20_000 })
      const second = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 30_000 })
      const real = fake.simulateCheckout(first.body().checkout.order_id)
      const other = fake.simulateCheckout(second.body().checkout.order_id)
      const before = await snapshot()

      const response = await verify(client, token, forge(real, other, fake))

      assertApiError(response, 400, 'invalid_signature')
      assert.deepEqual(await snapshot(), before)
      assert.equal((await paymentRow(first.body().payment.id)).status, PaymentStatus.Created)
      assert.equal((await paymentRow(second.body().payment.id)).status, PaymentStatus.Created)
      assert.isNull((await paymentRow(first.body().payment.id)).providerPaymentId)

      // The real response still works afterwards: a forgery did not spoil it.
      const genuine = await verify(client, token, real)
      genuine.assertStatus(200)
      assert.equal(await balanceOf(user.id), 20_700)
      assert.deepEqual(await ledgerDiscrepancies(), [])
    })

  const malformed: { title: string; body: Record<string, unknown>; field: string }[] = [
    {
      title: 'a signature that is not hex',
      body: { razorpay_signature: 'z'.repeat(64) },
      field: 'razorpay_signature',
    },
    {
      title: 'a short signature',
      body: { razorpay_signature: 'ab12' },
      field: 'razorpay_signature',
    },
    { title: 'no signature', body: { razorpay_signature: undefined }, field: 'razorpay_signature' },
    {
      title: 'an order id without the order_ prefix',
      body: { razorpay_order_id: 'ord_123' },
      field: 'razorpay_order_id',
    },
    {
      title: 'a payment id with a quote',
      body: { razorpay_payment_id: "pay_1'--" },
      field: 'razorpay_payment_id',
    },
  ]

  test('refuses a malformed response ({title}) with 422 and changes nothing')
    .with(malformed)
    .run(async ({ client, assert }, { body, field }) => {
      const { user, token } = await createShopper()
      const opened = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 20_000 })
      const real = fake.simulateCheckout(opened.body().checkout.order_id)
      const before = await snapshot()

      const response = await client
        .post('/api/v1/payments/verify')
        .bearerToken(token)
        .json({ ...real, ...body })

      assertApiError(response, 422, 'validation_failed', field)
      assert.deepEqual(await snapshot(), before)
      assert.equal((await paymentRow(opened.body().payment.id)).status, PaymentStatus.Created)
    })

  test("refuses to confirm someone else's top-up, even with Razorpay's real signature, with 404", async ({
    client,
    assert,
  }) => {
    const owner = await createShopper({ balancePaise: 500 })
    const thief = await createShopper({ balancePaise: 100 })
    const opened = await client
      .post(`/api/v1/users/${owner.user.id}/add_balance`)
      .bearerToken(owner.token)
      .json({ amount_paise: 40_000 })
    const checkout = fake.simulateCheckout(opened.body().checkout.order_id)
    const before = await snapshot()

    const response = await verify(client, thief.token, checkout)

    assertApiError(response, 404, 'not_found')
    assert.deepEqual(await snapshot(), before)
    assert.equal((await paymentRow(opened.body().payment.id)).status, PaymentStatus.Created)

    // The owner is still credited, once.
    const mine = await verify(client, owner.token, checkout)
    mine.assertStatus(200)
    assert.equal(await balanceOf(owner.user.id), 40_500)
    assert.equal(await balanceOf(thief.user.id), 100)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test("refuses to open a top-up for someone else's wallet", async ({ client, assert }) => {
    const owner = await createShopper()
    const other = await createShopper()

    const response = await client
      .post(`/api/v1/users/${owner.user.id}/add_balance`)
      .bearerToken(other.token)
      .json({ amount_paise: 5000 })

    assertApiError(response, 403, 'forbidden')
    assert.equal(await countRows('payments'), 0)
    assert.lengthOf(fake.orderCalls(), 0)
  })

  test("refuses a top-up under Razorpay's ₹1 minimum with 422 amount_too_small and calls nobody", async ({
    client,
    assert,
  }) => {
    const shopper = await createShopper()

    const response = await client
      .post(`/api/v1/users/${shopper.user.id}/add_balance`)
      .bearerToken(shopper.token)
      .json({ amount_paise: 99 })

    assertApiError(response, 422, 'amount_too_small', 'amount_paise')
    assert.equal(await countRows('payments'), 0)
    assert.lengthOf(fake.orderCalls(), 0)
    assert.equal(await balanceOf(shopper.user.id), 0)
  })

  test('reuses the payment and the Razorpay order for a replayed Idempotency-Key', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const send = (amount: number) =>
      client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .header('Idempotency-Key', 'topup-7f3a')
        .json({ amount_paise: amount })

    const first = await send(15_000)
    const second = await send(15_000)

    first.assertStatus(201)
    second.assertStatus(200)
    assert.isTrue(second.body().replayed)
    assert.equal(second.body().payment.id, first.body().payment.id)
    assert.deepEqual(second.body().checkout, first.body().checkout)
    assert.lengthOf(fake.orderCalls(), 1)
    assert.equal(await countRows('payments'), 1)

    // The same key for another amount is a client bug, not a new top-up.
    const conflicting = await send(16_000)
    assertApiError(conflicting, 422, 'idempotency_key_reused')
    assert.lengthOf(fake.orderCalls(), 1)

    // Paying the one order credits once.
    const confirmed = await verify(
      client,
      token,
      fake.simulateCheckout(first.body().checkout.order_id)
    )
    confirmed.assertStatus(200)
    assert.equal(await balanceOf(user.id), 15_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('answers 503 payments_unavailable when Razorpay is selected without keys, and calls nobody', async ({
    client,
    assert,
    cleanup,
  }) => {
    useGatewayForTest(
      fakeRazorpaySettings(fake, { razorpay: { keyId: null, keySecret: null } }),
      fake,
      cleanup
    )
    const { user, token } = await createShopper({ balancePaise: 900 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 5000 })

    assertApiError(response, 503, 'payments_unavailable')
    assert.deepEqual(await snapshot(), before)
    assert.equal(await countRows('payments'), 0)
    assert.lengthOf(fake.requests, 0)
  })

  const providerFailures = [
    { title: 'a 500 from Razorpay', failure: { kind: 'status', status: 500 } as const },
    { title: 'a 503 from Razorpay', failure: { kind: 'status', status: 503 } as const },
    { title: 'a connection reset', failure: { kind: 'reset' } as const },
  ]

  test('answers 502 payment_provider_error for {title} and fails the payment')
    .with(providerFailures)
    .run(async ({ client, assert }, { failure }) => {
      const { user, token } = await createShopper({ balancePaise: 900 })
      fake.failNext('orders', failure)
      const before = await snapshot()

      const response = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 5000 })

      assertApiError(response, 502, 'payment_provider_error')
      assert.lengthOf(fake.orderCalls(), 1)
      assert.deepEqual(await snapshot(), before)
      const [payment] = await Payment.all()
      assert.equal(payment.status, PaymentStatus.Failed)
      assert.equal(payment.failureReason, 'provider_error')
      assert.isNull(payment.providerOrderId)

      // Razorpay is back: the next try opens a fresh order.
      const retried = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 5000 })
      retried.assertStatus(201)
      assert.notEqual(retried.body().payment.id, payment.id)
      assert.lengthOf(fake.orders, 1)
      assert.deepEqual(await ledgerDiscrepancies(), [])
    })

  test('opens a fresh Razorpay order when a top-up that failed with 502 is retried with its Idempotency-Key', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const send = () =>
      client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .header('Idempotency-Key', 'retry-after-502')
        .json({ amount_paise: 5000 })
    fake.failNext('orders', { kind: 'status', status: 500 })

    const failed = await send()
    const retried = await send()

    assertApiError(failed, 502, 'payment_provider_error')
    retried.assertStatus(201)
    assert.isFalse(retried.body().replayed)
    assert.equal(retried.body().payment.status, PaymentStatus.Created)
    const [orderId] = [...fake.orders.keys()]
    assert.equal(retried.body().checkout.order_id, orderId)
    assert.equal(retried.body().payment.provider_order_id, orderId)

    // From now on the key replays the new payment.
    const again = await send()
    again.assertStatus(200)
    assert.equal(again.body().payment.id, retried.body().payment.id)

    const confirmed = await verify(client, token, fake.simulateCheckout(orderId))
    confirmed.assertStatus(200)
    assert.equal(await balanceOf(user.id), 5000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('answers 502 and credits nothing when Razorpay refuses the key (401)', async ({
    client,
    assert,
    cleanup,
  }) => {
    useGatewayForTest(
      fakeRazorpaySettings(fake, { razorpay: { keySecret: 'rotated-away' } }),
      fake,
      cleanup
    )
    const { user, token } = await createShopper()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 5000 })

    assertApiError(response, 502, 'payment_provider_error')
    assert.lengthOf(fake.orderCalls(), 1)
    assert.lengthOf(fake.orders, 0)
    assert.equal(await balanceOf(user.id), 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})

/*
 * The demo driver must never take "money" in production. The real web
 * server (bin/server.ts) runs in a child process with NODE_ENV=production
 * and PAYMENT_DRIVER=demo, on the same database.
 */
test.group('Demo driver in production', (group) => {
  group.each.setup(truncateAll)

  test('refuses top-ups and pay-per-vend with 503 payments_unavailable', async ({
    assert,
    cleanup,
  }) => {
    const port = await freeTcpPort()
    const server = startProcess(
      'node',
      ['--import', 'ts-node-maintained/register/esm', 'bin/server.ts'],
      {
        NODE_ENV: 'production',
        PAYMENT_DRIVER: 'demo',
        RAZORPAY_KEY_ID: '',
        RAZORPAY_KEY_SECRET: '',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        DISCOVERY_ENABLED: 'false',
      }
    )
    cleanup(async () => {
      await server.stop()
    })
    await server.waitForOutput(/started HTTP server/, SERVER_BOOT_TIMEOUT_MS)
    const { user, token } = await createShopper({ balancePaise: 300 })
    const before = await snapshot()
    const post = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${token}`,
          'content-type': 'application/json',
          'accept': 'application/json',
        },
        body: JSON.stringify(body),
      })

    const topUp = await post(`/api/v1/users/${user.id}/add_balance`, { amount_paise: 5000 })
    const pay = await post('/api/v1/products/1/pay', { machine: 'any-machine' })

    for (const response of [topUp, pay]) {
      assert.equal(response.status, 503)
      const body = (await response.json()) as { errors: { code: string }[] }
      assert.equal(body.errors[0].code, 'payments_unavailable')
    }
    assert.deepEqual(await snapshot(), before)
    assert.equal(await countRows('payments'), 0)
  }).timeout(90_000)
})
