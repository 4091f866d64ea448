import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import Product from '#models/product'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, type TestDevice } from '#tests/helpers/device'

/**
 * Buys one `productId` from `machineCode` and lets the device report
 * `result` (`null`: no result, the order stays dispensing).
 *
 * @returns the order id
 */
async function buyAndVend(
  client: ApiClient,
  device: TestDevice,
  token: string,
  productId: number,
  machineCode: string,
  result: 'dropped' | 'jam' | null = 'dropped'
): Promise<number> {
  const response = await client
    .post(`/api/v1/products/${productId}/buy`)
    .bearerToken(token)
    .json({ machine: machineCode })
  response.assertStatus(201)
  const command = await device.nextVend()
  if (result) await device.report(command.command_id, result)
  return response.body().order.id
}

/**
 * Moves an order's completion time, instead of waiting for the window.
 */
async function completedAgo(orderId: number, milliseconds: number) {
  const order = await Order.findOrFail(orderId)
  order.completedAt = DateTime.now().minus({ milliseconds })
  await order.save()
}

test.group('Refunds', (group) => {
  group.each.setup(truncateAll)

  test('refunds a completed order of a refundable product to the wallet', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 4500,
      isRefundable: true,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    assert.equal(await balanceOf(user.id), 5500)

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    response.assertStatus(200)
    assert.containsSubset(response.body().order, {
      id: orderId,
      status: OrderStatus.Refunded,
      price_paise: 4500,
    })
    assert.isString(response.body().order.refunded_at)
    assert.isString(response.body().order.completed_at)

    assert.equal(await balanceOf(user.id), 10_000)
    const refund = (await ledgerRowsOf(user.id)).at(-1)!
    assert.deepInclude(refund, {
      kind: 'refund',
      amountPaise: 4500,
      balanceAfterPaise: 10_000,
      orderId,
      externalReference: `refund:order:${orderId}`,
    })
    // The item left the machine: a refund gives money back, not stock.
    assert.equal((await slot.refresh()).quantity, 4)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refunds an order completed just inside the refund window', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 4500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    await completedAgo(orderId, vendingConfig.refundWindowMs - 60_000)

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    response.assertStatus(200)
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('refuses a refund outside the refund window with 409 refund_window_expired', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 4500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    await completedAgo(orderId, vendingConfig.refundWindowMs + 60_000)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(response, 409, 'refund_window_expired')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a refund of a non-refundable product with 409 not_refundable', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({
      pricePaise: 2000,
      isRefundable: false,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(response, 409, 'not_refundable')
    assert.deepEqual(await snapshot(), before)
    assert.equal((await Order.findOrFail(orderId)).status, OrderStatus.Completed)
  })

  test('refuses a refund of an order still dispensing with 409 not_refundable, then allows it once completed', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code, null)
    assert.equal((await Order.findOrFail(orderId)).status, OrderStatus.Dispensing)
    const before = await snapshot()

    const early = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(early, 409, 'not_refundable')
    assert.deepEqual(await snapshot(), before)

    await device.report(device.commands[0].command_id, 'dropped')
    const later = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })
    later.assertStatus(200)
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('refuses a second refund with 409 already_refunded and pays once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    const first = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })
    first.assertStatus(200)
    const before = await snapshot()

    const second = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(second, 409, 'already_refunded')
    assert.deepEqual(await snapshot(), before)
    assert.equal(await balanceOf(user.id), 10_000)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'refund'),
      1
    )
  })

  test('refuses a refund of a failed vend, already refunded automatically, with 409 already_refunded', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code, 'jam')
    assert.equal(await balanceOf(user.id), 10_000)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(response, 409, 'already_refunded')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a refund that names another product with 422 on field order_id', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const other = await ProductFactory.create()
    await SlotFactory.merge({ machineId: machine.id, productId: other.id, number: 2 }).create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, token, product.id, machine.code)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${other.id}/refund`)
      .bearerToken(token)
      .json({ order_id: orderId })

    assertApiError(response, 422, 'order_product_mismatch', 'order_id')
    assert.deepEqual(await snapshot(), before)
  })

  test("answers 404 for a refund of someone else's order and refunds nothing", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const owner = await createShopper({ balancePaise: 10_000 })
    const intruder = await createShopper({ balancePaise: 10_000 })
    const orderId = await buyAndVend(client, device, owner.token, product.id, machine.code)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(intruder.token)
      .json({ order_id: orderId })

    assertApiError(response, 404, 'not_found')
    assert.deepEqual(await snapshot(), before)
  })

  test("answers 404, not 422, for someone else's order under the wrong product", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const other = await ProductFactory.create()
    const owner = await createShopper({ balancePaise: 10_000 })
    const intruder = await createShopper()
    const orderId = await buyAndVend(client, device, owner.token, product.id, machine.code)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${other.id}/refund`)
      .bearerToken(intruder.token)
      .json({ order_id: orderId })

    assertApiError(response, 404, 'not_found')
    assert.deepEqual(await snapshot(), before)
  })

  test('answers 404 for a refund of an order that does not exist', async ({ client, assert }) => {
    const product = await ProductFactory.create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/refund`)
      .bearerToken(token)
      .json({ order_id: 999_999 })

    assertApiError(response, 404, 'not_found')
    assert.deepEqual(await snapshot(), before)
  })

  const invalidBodies = [
    { title: 'a missing order_id', body: {} },
    { title: 'order_id 0', body: { order_id: 0 } },
    { title: 'a fractional order_id', body: { order_id: 1.5 } },
    { title: 'an order_id sent as a string', body: { order_id: '1' } },
  ]

  test('refuses a refund with {title} with 422')
    .with(invalidBodies)
    .run(async ({ client, assert }, { body }) => {
      const product = await Product.create({
        name: 'Snack',
        pricePaise: 100,
        isRefundable: true,
        isActive: true,
      })
      const { token } = await createShopper({ balancePaise: 100 })
      const before = await snapshot()

      const response = await client
        .post(`/api/v1/products/${product.id}/refund`)
        .bearerToken(token)
        .json(body)

      assertApiError(response, 422, 'validation_failed', 'order_id')
      assert.deepEqual(await snapshot(), before)
    })
})
