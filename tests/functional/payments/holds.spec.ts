import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import paymentsConfig from '#config/payments'
import { PaymentStatus } from '#enums/payment_status'
import Machine from '#models/machine'
import Slot from '#models/slot'
import ExpirePaymentHolds from '#actions/payments/expire_payment_holds'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, ledgerDiscrepancies } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import {
  deliver,
  fakeRazorpaySettings,
  paymentRow,
  useFakeRazorpay,
  useGatewayForTest,
} from '#tests/helpers/payments'
import { formKey, postJson } from '#tests/functional/shopper/page_helpers'

const PRICE = 2500

/**
 * `POST /api/v1/products/:id/pay` for `machineCode`, from client address
 * `ip` (the test server trusts `X-Forwarded-For` from loopback, as the app
 * does behind nginx).
 */
function pay(
  client: ApiClient,
  token: string,
  productId: number,
  machineCode: string,
  ip = '192.0.2.10'
) {
  return client
    .post(`/api/v1/products/${productId}/pay`)
    .bearerToken(token)
    .header('x-forwarded-for', ip)
    .json({ machine: machineCode })
}

async function quantityOf(slotId: number): Promise<number> {
  return (await Slot.findOrFail(slotId)).quantity
}

/**
 * The payments holding a unit now, as stored.
 */
async function openHolds() {
  const rows = await db.from('payments').where('stock_held', true).orderBy('id')
  return rows.map((row) => ({
    id: Number(row.id),
    userId: Number(row.user_id),
    slotId: Number(row.slot_id),
    status: row.status as string,
  }))
}

/*
 * What free pay requests can keep off the shelves (a hold costs nothing
 * until Checkout is paid): one open hold per shopper, a few per client
 * address, for a few minutes. Real HTTP server, real database, a fake
 * Razorpay; tables truncated (concurrent requests use their own
 * connections).
 */
test.group('Pay-per-vend holds', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('six pay requests from a shopper who never pays hold one unit, not six', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 6,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()

    const responses = []
    for (let i = 0; i < 6; i++)
      responses.push(await pay(client, shopper.token, product.id, machine.code))

    for (const response of responses) response.assertStatus(201)
    assert.equal(await quantityOf(slot.id), 5, 'five units are still on sale')
    const holds = await openHolds()
    assert.lengthOf(holds, 1)
    assert.equal(holds[0].id, responses[5].body().payment.id, 'the latest request holds the unit')
    for (const response of responses.slice(0, 5)) {
      assert.containsSubset(await paymentRow(response.body().payment.id), {
        status: PaymentStatus.Failed,
        failureReason: 'replaced',
        stockHeld: false,
      })
    }
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('a shopper who picks another item holds that one and the first goes back; money for the first still vends', async ({
    client,
    assert,
    cleanup,
  }) => {
    const {
      machine,
      product: crisps,
      slot: crispsSlot,
      device,
    } = await createOnlineMachine({ pricePaise: PRICE, quantity: 3 })
    cleanup(() => disconnectDevice(device, machine.id))
    const juice = await ProductFactory.merge({ pricePaise: 4000 }).create()
    const juiceSlot = await SlotFactory.merge({
      machineId: machine.id,
      number: 2,
      productId: juice.id,
      quantity: 3,
    }).create()
    const shopper = await createShopper()

    const first = await pay(client, shopper.token, crisps.id, machine.code)
    const second = await pay(client, shopper.token, juice.id, machine.code)

    first.assertStatus(201)
    second.assertStatus(201)
    assert.equal(await quantityOf(crispsSlot.id), 3, 'the crisps went back')
    assert.equal(await quantityOf(juiceSlot.id), 2, 'the juice is held')
    assert.deepEqual(
      (await openHolds()).map((hold) => hold.id),
      [second.body().payment.id]
    )

    // The shopper had paid for the crisps after all: a lapsed hold's rule
    // applies (a unit is left, so it vends), and the juice stays held.
    const late = fake.pay(first.body().checkout.order_id)
    const captured = await deliver(client, fake.paymentCaptured(late))
    assert.deepEqual(captured.body(), { outcome: 'vended' })
    assert.equal((await device.nextVend()).slot, 1)
    assert.equal(await quantityOf(crispsSlot.id), 2)
    assert.equal(await quantityOf(juiceSlot.id), 2)
    assert.equal((await paymentRow(second.body().payment.id)).status, PaymentStatus.Created)
  })

  test('pay requests sent at once by one shopper hold exactly one unit', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 8,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()

    const responses = await Promise.all(
      Array.from({ length: 8 }, () => pay(client, shopper.token, product.id, machine.code))
    )

    const statuses = responses.map((response) => response.status())
    assert.isTrue(
      statuses.every((status) => status === 201 || status === 409),
      `201 or 409 only: ${statuses.join(', ')}`
    )
    for (const response of responses.filter((r) => r.status() === 409))
      assertApiError(response, 409, 'payment_in_progress')
    const holds = await openHolds()
    assert.lengthOf(holds, 1)
    assert.equal(await quantityOf(slot.id), 7)
    const released = await db
      .from('payments')
      .where('stock_held', false)
      .count('* as total')
      .first()
    assert.equal(
      Number(released.total),
      statuses.filter((status) => status === 201).length - 1,
      'every other hold was given back'
    )
  })

  test('pay requests sent at once with one Idempotency-Key answer with one payment and replace nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const send = () =>
      client
        .post(`/api/v1/products/${product.id}/pay`)
        .bearerToken(shopper.token)
        .header('Idempotency-Key', 'vend-once')
        .json({ machine: machine.code })

    const responses = await Promise.all(Array.from({ length: 5 }, send))

    const statuses = responses.map((response) => response.status()).sort()
    assert.deepEqual(statuses, [200, 200, 200, 200, 201])
    const ids = new Set(responses.map((response) => response.body().payment.id))
    assert.equal(ids.size, 1)
    assert.deepEqual(
      (await openHolds()).map((hold) => hold.id),
      [...ids]
    )
    assert.equal(await quantityOf(slot.id), 4)
    const failed = await db
      .from('payments')
      .where('status', PaymentStatus.Failed)
      .count('* as total')
      .first()
    assert.equal(Number(failed.total), 0)
  })

  test("a second card payment in one machine session on the shopper's page replaces the first", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 4,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user } = await createShopper()

    const first = await postJson(client, user, `/m/${machine.code}/pay`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })
    const second = await postJson(client, user, `/m/${machine.code}/pay`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })

    first.assertStatus(200)
    second.assertStatus(200)
    assert.notEqual(first.body().payment.id, second.body().payment.id)
    assert.equal(
      (await Machine.findOrFail(machine.id)).sessionUserId,
      user.id,
      'one machine session, this shopper'
    )
    assert.equal(await quantityOf(slot.id), 3)
    assert.deepEqual(
      (await openHolds()).map((hold) => hold.id),
      [second.body().payment.id]
    )
  })

  test('caps the units held from one client address at LIMIT_HOLDS_PER_IP, whatever the number of shoppers', async ({
    client,
    assert,
    cleanup,
  }) => {
    const cap = paymentsConfig.holdsPerAddress
    assert.isAbove(cap, 0, 'the cap is on by default')
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 10,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shoppers = await Promise.all(Array.from({ length: cap + 2 }, () => createShopper()))

    const responses = []
    for (const shopper of shoppers)
      responses.push(await pay(client, shopper.token, product.id, machine.code, '203.0.113.7'))

    for (const response of responses.slice(0, cap)) response.assertStatus(201)
    for (const response of responses.slice(cap))
      assertApiError(response, 409, 'too_many_open_payments')
    assert.equal(await quantityOf(slot.id), 10 - cap)
    assert.lengthOf(await openHolds(), cap)
    assert.lengthOf(fake.orderCalls(), cap, 'no Razorpay order for a refused request')

    // Another address is not affected.
    const elsewhere = await createShopper()
    ;(await pay(client, elsewhere.token, product.id, machine.code, '198.51.100.9')).assertStatus(
      201
    )

    // A hold that ends frees its place for the address.
    const cancelled = await client
      .post(`/api/v1/payments/${responses[0].body().payment.id}/cancel`)
      .bearerToken(shoppers[0].token)
    cancelled.assertStatus(200)
    ;(await pay(client, shoppers[cap].token, product.id, machine.code, '203.0.113.7')).assertStatus(
      201
    )
    assert.equal(await quantityOf(slot.id), 10 - cap - 1)
  })

  test('holds at most LIMIT_HOLDS_PER_IP units for shoppers of one address paying at once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const cap = paymentsConfig.holdsPerAddress
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 10,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shoppers = await Promise.all(Array.from({ length: cap + 5 }, () => createShopper()))

    const responses = await Promise.all(
      shoppers.map((shopper) => pay(client, shopper.token, product.id, machine.code, '203.0.113.7'))
    )

    assert.lengthOf(
      responses.filter((response) => response.status() === 201),
      cap
    )
    for (const response of responses.filter((r) => r.status() !== 201))
      assertApiError(response, 409, 'too_many_open_payments')
    assert.equal(await quantityOf(slot.id), 10 - cap)
    assert.lengthOf(await openHolds(), cap)
  })

  test('an unpaid hold goes back to the shelf three minutes after it was opened, by default', async ({
    client,
    assert,
    cleanup,
  }) => {
    useGatewayForTest(fakeRazorpaySettings(fake, { holdMs: paymentsConfig.holdMs }), fake, cleanup)
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 2,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const opened = DateTime.now()

    const response = await pay(client, shopper.token, product.id, machine.code)

    response.assertStatus(201)
    const holdEnds = DateTime.fromISO(response.body().payment.hold_expires_at)
    assert.closeTo(holdEnds.diff(opened).as('seconds'), 180, 2)
    const expire = await app.container.make(ExpirePaymentHolds)
    assert.equal(
      await expire.handle(opened.plus({ minutes: 2, seconds: 50 })),
      0,
      'still held just before'
    )
    assert.equal(await quantityOf(slot.id), 1)
    assert.equal(await expire.handle(opened.plus({ minutes: 3, seconds: 5 })), 1)
    assert.equal(await quantityOf(slot.id), 2)
    assert.containsSubset(await paymentRow(response.body().payment.id), {
      status: PaymentStatus.Expired,
      stockHeld: false,
    })
  })
})
