import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { OrderStatus } from '#enums/order_status'
import { CardRefundStatus } from '#enums/card_refund_status'
import Order from '#models/order'
import Slot from '#models/slot'
import { SlotFactory } from '#database/factories/slot_factory'
import { MachineFactory } from '#database/factories/machine_factory'
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
import { countRows, paymentRow, useFakeRazorpay, verify } from '#tests/helpers/payments'

const PRODUCT_PRICE = 2500
const AIRPORT_PRICE = 4000

/**
 * A machine online with a device whose slot 1 holds a ₹25 product and
 * charges `override` paise for it (null: no override).
 */
async function machineWithOverride(override: number | null, quantity = 5) {
  const online = await createOnlineMachine({ pricePaise: PRODUCT_PRICE, quantity })
  await Slot.query().where('id', online.slot.id).update({ pricePaise: override })
  return online
}

function buy(client: ApiClient, token: string, productId: number, machineCode: string) {
  return client
    .post(`/api/v1/products/${productId}/buy`)
    .bearerToken(token)
    .json({ machine: machineCode })
}

/*
 * Prices per machine: a slot's override is what the API shows and what
 * every way of paying charges; an order keeps the price it was charged.
 * A real socket.io device takes the vend; tables are truncated because the
 * socket handlers use their own connections.
 */
test.group('Slot prices: planogram and wallet buys', (group) => {
  group.each.setup(truncateAll)

  test('shows the override as the price, on the slot and on its product', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))
    await SlotFactory.merge({
      machineId: machine.id,
      productId: product.id,
      number: 2,
      quantity: 3,
    }).create()
    await SlotFactory.merge({ machineId: machine.id, productId: null, number: 3 }).create()
    const { token } = await createShopper()

    const response = await client
      .get(`/api/v1/machines/${machine.code}/products`)
      .bearerToken(token)

    response.assertStatus(200)
    const [one, two, three] = response.body().data
    assert.equal(one.price_paise, AIRPORT_PRICE)
    assert.equal(one.product.price_paise, AIRPORT_PRICE)
    assert.equal(two.price_paise, PRODUCT_PRICE, 'a slot without override: the product price')
    assert.equal(two.product.price_paise, PRODUCT_PRICE)
    assert.isNull(three.price_paise)
    assert.isNull(three.product)

    // The catalogue still shows the product's own price.
    const catalogue = await client.get('/api/v1/products').bearerToken(token)
    assert.equal(catalogue.body().data[0].price_paise, PRODUCT_PRICE)
  })

  test("shows the shopper page's price and card button at this machine's price", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))

    const page = await client.get(`/m/${machine.code}`).header('accept', 'text/html')

    page.assertStatus(200)
    const card = /<article class="product[^"]*" data-product-id[\s\S]*?<\/article>/.exec(
      page.text()
    )![0]
    assert.match(card, /<strong class="price">₹40\.00<\/strong>/)
    assert.match(card, /Pay ₹40 by card/)
    assert.notInclude(card, '₹25')
  })

  test('charges the override on a wallet buy: order, ledger row and balance agree', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const response = await buy(client, token, product.id, machine.code)

    response.assertStatus(201)
    const order = response.body().order
    assert.equal(order.price_paise, AIRPORT_PRICE)
    assert.equal((await device.nextVend()).order_id, order.id)
    assert.equal(await balanceOf(user.id), 10_000 - AIRPORT_PRICE)
    const rows = await ledgerRowsOf(user.id)
    assert.deepInclude(rows[rows.length - 1], {
      kind: 'purchase',
      amountPaise: -AIRPORT_PRICE,
      balanceAfterPaise: 10_000 - AIRPORT_PRICE,
      orderId: order.id,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('charges the price of the slot the unit came from when the buy names no slot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await machineWithOverride(AIRPORT_PRICE, 0)
    cleanup(() => disconnectDevice(device, machine.id))
    const slot2 = await SlotFactory.merge({
      machineId: machine.id,
      productId: product.id,
      number: 2,
      quantity: 3,
    }).create()
    await Slot.query().where('id', slot2.id).update({ pricePaise: 3500 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const response = await buy(client, token, product.id, machine.code)

    response.assertStatus(201)
    assert.containsSubset(response.body().order, { slot: 2, price_paise: 3500 })
    assert.equal(await balanceOf(user.id), 10_000 - 3500)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('the database refuses an override of zero or less', async ({ assert }) => {
    const machine = await MachineFactory.create()
    const slot = await SlotFactory.merge({ machineId: machine.id, productId: null }).create()

    for (const bad of [0, -100]) {
      await assert.rejects(() => Slot.query().where('id', slot.id).update({ pricePaise: bad }))
    }
    assert.isNull((await Slot.findOrFail(slot.id)).pricePaise)
  })

  test('charges the product price when the slot has no override', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await machineWithOverride(null)
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const planogram = await client
      .get(`/api/v1/machines/${machine.code}/products`)
      .bearerToken(token)
    assert.equal(planogram.body().data[0].price_paise, PRODUCT_PRICE)
    const response = await buy(client, token, product.id, machine.code)

    response.assertStatus(201)
    assert.equal(response.body().order.price_paise, PRODUCT_PRICE)
    assert.equal(await balanceOf(user.id), 10_000 - PRODUCT_PRICE)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refuses a buy the override makes unaffordable, though the product price fits', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 3000 })
    const before = await snapshot()

    const response = await buy(client, token, product.id, machine.code)

    assertApiError(response, 402, 'insufficient_balance')
    assert.deepEqual(await snapshot(), before)
    assert.equal(await balanceOf(user.id), 3000)
  })

  test('keeps the charged price on the order after the price changes, and a failed vend refunds that price', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const response = await buy(client, token, product.id, machine.code)
    response.assertStatus(201)
    const command = await device.nextVend()

    // The airport raises its price, then drops the override altogether.
    await Slot.query().where('id', slot.id).update({ pricePaise: 9000 })
    assert.equal((await Order.findOrFail(response.body().order.id)).pricePaise, AIRPORT_PRICE)
    await Slot.query().where('id', slot.id).update({ pricePaise: null })

    const ack = await device.report(command.command_id, 'no_drop')

    assert.isTrue(ack.ok)
    const refunded = await eventually(async () => {
      const order = await Order.findOrFail(response.body().order.id)
      return order.status === OrderStatus.Refunded ? order : null
    })
    assert.equal(refunded.pricePaise, AIRPORT_PRICE)
    const rows = await ledgerRowsOf(user.id)
    assert.deepInclude(rows[rows.length - 1], {
      kind: 'refund',
      amountPaise: AIRPORT_PRICE,
      orderId: refunded.id,
    })
    assert.equal(await balanceOf(user.id), 10_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})

test.group('Slot prices: pay per vend', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('holds the override amount and orders at it', async ({ client, assert, cleanup }) => {
    const { machine, product, slot, device } = await machineWithOverride(AIRPORT_PRICE)
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()

    const opened = await client
      .post(`/api/v1/products/${product.id}/pay`)
      .bearerToken(shopper.token)
      .json({ machine: machine.code })

    opened.assertStatus(201)
    assert.equal(opened.body().payment.amount_paise, AIRPORT_PRICE)
    assert.equal(opened.body().checkout.amount, AIRPORT_PRICE)
    assert.equal(fake.orders.get(opened.body().checkout.order_id)!.amount, AIRPORT_PRICE)

    // A price change while the shopper pays does not change what they owe.
    await Slot.query().where('id', slot.id).update({ pricePaise: 9000 })
    const checkout = fake.simulateCheckout(opened.body().checkout.order_id)
    const confirmed = await verify(client, shopper.token, checkout)
    confirmed.assertStatus(200)
    assert.equal(confirmed.body().order.price_paise, AIRPORT_PRICE)
    const command = await device.nextVend()

    await device.report(command.command_id, 'no_drop')
    const refund = await eventually(async () => {
      const row = await paymentRow(opened.body().payment.id)
      return row.refundStatus === CardRefundStatus.Processed ? row : null
    })
    assert.isNotNull(refund)
    const calls = fake.refundCalls(checkout.razorpay_payment_id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].body.amount, AIRPORT_PRICE)
  })

  test('refuses an override under ₹1 with 422 amount_too_small and holds nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await machineWithOverride(99)
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()

    const opened = await client
      .post(`/api/v1/products/${product.id}/pay`)
      .bearerToken(shopper.token)
      .json({ machine: machine.code })

    assertApiError(opened, 422, 'amount_too_small')
    assert.equal(await countRows('payments'), 0)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
  })
})
