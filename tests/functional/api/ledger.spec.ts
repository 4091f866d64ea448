import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import { ProductFactory } from '#database/factories/product_factory'
import { DEFAULT_TEST_BALANCE_PAISE, UserFactory } from '#database/factories/user_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'

test.group('Ledger invariant', (group) => {
  group.each.setup(truncateAll)

  test('funds factory shoppers through the ledger, never with a bare balance', async ({
    assert,
  }) => {
    const standard = await UserFactory.apply('withBalance').create()
    const exact = await UserFactory.merge({ balancePaise: 1234 }).create()
    const empty = await UserFactory.create()

    assert.equal(standard.balancePaise, DEFAULT_TEST_BALANCE_PAISE)
    assert.equal(await balanceOf(standard.id), DEFAULT_TEST_BALANCE_PAISE)
    assert.deepEqual(
      (await ledgerRowsOf(standard.id)).map((row) => [row.kind, row.amountPaise]),
      [['topup', DEFAULT_TEST_BALANCE_PAISE]]
    )
    assert.equal(await balanceOf(exact.id), 1234)
    assert.lengthOf(await ledgerRowsOf(exact.id), 1)
    assert.equal(await balanceOf(empty.id), 0)
    assert.lengthOf(await ledgerRowsOf(empty.id), 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('keeps every balance equal to the sum of its ledger rows through top-ups, buys, failed vends and refunds', async ({
    client,
    assert,
    cleanup,
  }) => {
    const {
      machine,
      product: coffee,
      device,
    } = await createOnlineMachine({ pricePaise: 4500, quantity: 10, isRefundable: true })
    cleanup(() => disconnectDevice(device, machine.id))
    const chips = await ProductFactory.apply('nonRefundable').merge({ pricePaise: 2000 }).create()
    await SlotFactory.merge({
      machineId: machine.id,
      productId: chips.id,
      number: 2,
      quantity: 1,
    }).create()

    const alice = await createShopper()
    const bob = await createShopper({ balancePaise: 3000 })
    const expected = { [alice.user.id]: 0, [bob.user.id]: 3000 }

    const step = async (label: string) => {
      assert.deepEqual(await ledgerDiscrepancies(), [], `after ${label}`)
      assert.equal(await balanceOf(alice.user.id), expected[alice.user.id], `alice after ${label}`)
      assert.equal(await balanceOf(bob.user.id), expected[bob.user.id], `bob after ${label}`)
    }
    const buy = (token: string, productId: number) =>
      client
        .post(`/api/v1/products/${productId}/buy`)
        .bearerToken(token)
        .json({ machine: machine.code })
    const vend = async (result: string) => {
      const command = await device.nextVend()
      assert.deepEqual(await device.report(command.command_id, result), { ok: true })
      return command.order_id
    }

    await client
      .post(`/api/v1/users/${alice.user.id}/add_balance`)
      .bearerToken(alice.token)
      .json({ amount_paise: 10_000 })
    expected[alice.user.id] += 10_000
    await step('a top-up')

    ;(await buy(alice.token, coffee.id)).assertStatus(201)
    expected[alice.user.id] -= 4500
    const droppedCoffee = await vend('dropped')
    await step('a completed buy')

    ;(await buy(alice.token, coffee.id)).assertStatus(201)
    await vend('jam')
    await step('a jammed vend, refunded automatically')

    ;(await buy(alice.token, chips.id)).assertStatus(201)
    expected[alice.user.id] -= 2000
    const droppedChips = await vend('dropped')
    await step('a non-refundable buy')

    assertApiError(await buy(bob.token, coffee.id), 402, 'insufficient_balance')
    assertApiError(await buy(bob.token, chips.id), 409, 'out_of_stock')
    await step('refused buys')

    ;(
      await client
        .post(`/api/v1/products/${coffee.id}/refund`)
        .bearerToken(alice.token)
        .json({ order_id: droppedCoffee })
    ).assertStatus(200)
    expected[alice.user.id] += 4500
    await step('a refund')

    const refusedAgain = await client
      .post(`/api/v1/products/${coffee.id}/refund`)
      .bearerToken(alice.token)
      .json({ order_id: droppedCoffee })
    assertApiError(refusedAgain, 409, 'already_refunded')
    const refusedChips = await client
      .post(`/api/v1/products/${chips.id}/refund`)
      .bearerToken(alice.token)
      .json({ order_id: droppedChips })
    assertApiError(refusedChips, 409, 'not_refundable')
    await step('refused refunds')

    await client
      .post(`/api/v1/users/${bob.user.id}/add_balance`)
      .bearerToken(bob.token)
      .json({ amount_paise: 1500 })
    expected[bob.user.id] += 1500
    ;(await buy(bob.token, coffee.id)).assertStatus(201)
    expected[bob.user.id] -= 4500
    await vend('no_drop')
    expected[bob.user.id] += 4500
    await step("bob's failed vend")

    assert.deepEqual(
      (await ledgerRowsOf(alice.user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        ['topup', 10_000],
        ['purchase', -4500],
        ['purchase', -4500],
        ['refund', 4500],
        ['purchase', -2000],
        ['refund', 4500],
      ]
    )
    assert.equal(expected[alice.user.id], 8000)
    assert.equal(expected[bob.user.id], 4500)
  })

  test('refunds a vend the device never answers once the vend timeout has passed', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 5000 })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const orderId = bought.body().order.id
    const sweep = await app.container.make(FailTimedOutVends)

    assert.equal(
      await sweep.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendTimeoutMs / 2 })),
      0
    )
    assert.equal(await balanceOf(user.id), 2500)

    assert.equal(
      await sweep.handle(
        DateTime.now().plus({
          milliseconds: vendingConfig.vendTimeoutMs + vendingConfig.vendResultGraceMs + 60_000,
        })
      ),
      1
    )
    const order = await Order.findOrFail(orderId)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'timeout')
    assert.equal(await balanceOf(user.id), 5000)

    // A late "dropped" from the device changes nothing now.
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })
    assert.equal((await Order.findOrFail(orderId)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), 5000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})
