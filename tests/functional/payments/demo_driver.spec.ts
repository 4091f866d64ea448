import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { OrderStatus } from '#enums/order_status'
import { PaymentStatus } from '#enums/payment_status'
import { CardRefundStatus } from '#enums/card_refund_status'
import Order from '#models/order'
import Slot from '#models/slot'
import paymentsConfig from '#config/payments'
import PaymentGateway from '#services/payment_gateway'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'
import { hmacHex } from '#tests/helpers/fake_razorpay'
import { TEST_HOLD_MS, countRows, paymentRow } from '#tests/helpers/payments'

const PRICE = 2500

/*
 * The demo driver (development and `npm run demo`, refused in production:
 * see top_up.spec.ts): money "arrives" at once, so pay per vend becomes a
 * paid payment and an order in one request, sent to the machine.
 */
test.group('Pay per vend on the demo driver', (group) => {
  group.setup(() => {
    const demo = new PaymentGateway({
      driver: 'demo',
      razorpay: { keyId: null, keySecret: null, webhookSecret: null, apiUrl: 'http://127.0.0.1:9' },
      holdMs: TEST_HOLD_MS,
      holdsPerAddress: paymentsConfig.holdsPerAddress,
      merchantName: 'Vendora',
    })
    app.container.swap(PaymentGateway, () => demo)
    return () => app.container.restore(PaymentGateway)
  })
  group.each.setup(truncateAll)

  test('creates a paid payment and an order at once and sends it to the machine', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper()

    const response = await client
      .post(`/api/v1/products/${product.id}/pay`)
      .bearerToken(token)
      .json({ machine: machine.code })

    response.assertStatus(201)
    const body = response.body()
    assert.isNull(body.checkout)
    assert.containsSubset(body.payment, {
      purpose: 'vend',
      provider: 'demo',
      status: PaymentStatus.Paid,
      amount_paise: PRICE,
      machine_id: machine.id,
      product_id: product.id,
    })
    assert.match(body.payment.provider_order_id, /^demo_order_/)
    assert.match(body.payment.provider_payment_id, /^demo_pay_/)
    assert.containsSubset(body.order, {
      status: OrderStatus.Dispensing,
      price_paise: PRICE,
      payment_id: body.payment.id,
    })

    const command = await device.nextVend()
    assert.equal(command.order_id, body.order.id)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    await device.report(command.command_id, 'dropped')
    await eventually(
      async () => (await Order.findOrFail(body.order.id)).status === OrderStatus.Completed
    )

    assert.isFalse((await paymentRow(body.payment.id)).stockHeld)
    assert.equal(await balanceOf(user.id), 0)
    assert.lengthOf(await ledgerRowsOf(user.id), 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('replays an Idempotency-Key with the same order and no second vend', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper()
    const send = () =>
      client
        .post(`/api/v1/products/${product.id}/pay`)
        .bearerToken(token)
        .header('Idempotency-Key', 'demo-1')
        .json({ machine: machine.code })

    const first = await send()
    const second = await send()

    first.assertStatus(201)
    second.assertStatus(200)
    assert.isTrue(second.body().replayed)
    assert.equal(second.body().order.id, first.body().order.id)
    await device.nextVend()
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(device.commands, 1)
    assert.equal(await countRows('orders'), 1)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
  })

  test('refunds a vend that did not drop through the demo driver, not to the wallet', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 700 })
    const response = await client
      .post(`/api/v1/products/${product.id}/pay`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const command = await device.nextVend()

    await device.report(command.command_id, 'no_drop')

    const refunded = await eventually(async () => {
      const row = await paymentRow(response.body().payment.id)
      return row.refundStatus === CardRefundStatus.Processed ? row : null
    })
    assert.match(refunded.providerRefundId!, /^demo_rfnd_/)
    assert.equal((await Order.findOrFail(response.body().order.id)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), 700)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refuses a Razorpay verify on the demo driver with 400 invalid_signature', async ({
    client,
    assert,
  }) => {
    const { token } = await createShopper()
    const before = await snapshot()
    const orderId = 'order_DemoDriver00001'
    const paymentId = 'pay_DemoDriver000001'

    const response = await client
      .post('/api/v1/payments/verify')
      .bearerToken(token)
      .json({
        razorpay_order_id: orderId,
        razorpay_payment_id: paymentId,
        razorpay_signature: hmacHex(`${orderId}|${paymentId}`, ''),
      })

    assertApiError(response, 400, 'invalid_signature')
    assert.deepEqual(await snapshot(), before)
  })
})
