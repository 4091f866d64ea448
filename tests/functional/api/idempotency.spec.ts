import { test } from '@japa/runner'
import { OrderStatus } from '#enums/order_status'
import Slot from '#models/slot'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import {
  connectDevice,
  createOnlineMachine,
  disconnectDevice,
  eventually,
  waitUntilOnline,
} from '#tests/helpers/device'

/**
 * Idempotency-Key values the API must refuse (1 to 255 visible ASCII characters).
 */
const badKeys = [
  { title: 'a key longer than 255 characters', key: 'k'.repeat(256) },
  { title: 'a key with a space', key: 'two words' },
  { title: 'an empty key', key: '' },
]

test.group('Idempotency-Key on buys', (group) => {
  group.each.setup(truncateAll)

  test('replays the first order for a repeated key: 200, nothing charged, no stock taken, one vend', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 2500,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const buy = () =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .header('Idempotency-Key', 'order-7f3a')
        .json({ machine: machine.code })

    const first = await buy()
    first.assertStatus(201)
    assert.isFalse(first.body().replayed)
    const afterFirst = await snapshot()

    const again = await buy()
    again.assertStatus(200)
    assert.isTrue(again.body().replayed)
    assert.equal(again.body().order.id, first.body().order.id)
    assert.equal(again.body().order.command_id, first.body().order.command_id)
    assert.deepEqual(await snapshot(), afterFirst)

    assert.equal(await balanceOf(user.id), 7500)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'purchase'),
      1
    )

    // The socket delivers in order: had the replay sent a vend, it would
    // arrive before the vend of this next, new order.
    const next = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    next.assertStatus(201)
    await eventually(async () => device.commands.length >= 2)
    assert.deepEqual(
      device.commands.map((command) => command.order_id),
      [first.body().order.id, next.body().order.id]
    )
  })

  test('replays an order with its current status once the vend is over', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const buy = () =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .header('Idempotency-Key', 'k-1')
        .json({ machine: machine.code })

    const first = await buy()
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')

    const again = await buy()
    again.assertStatus(200)
    assert.isTrue(again.body().replayed)
    assert.equal(again.body().order.id, first.body().order.id)
    assert.equal(again.body().order.status, OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), 7500)
  })

  test('refuses the same key for a different product with 422 idempotency_key_reused', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const other = await ProductFactory.create()
    await SlotFactory.merge({ machineId: machine.id, productId: other.id, number: 2 }).create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const first = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: machine.code })
    first.assertStatus(201)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${other.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: machine.code })

    assertApiError(response, 422, 'idempotency_key_reused')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses the same key for a different machine with 422 idempotency_key_reused', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const second = await MachineFactory.create()
    await SlotFactory.merge({ machineId: second.id, productId: product.id }).create()
    const secondDevice = await connectDevice(second.code, TEST_DEVICE_KEY)
    cleanup(() => disconnectDevice(secondDevice, second.id))
    await waitUntilOnline(second.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const first = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: machine.code })
    first.assertStatus(201)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: second.code })

    assertApiError(response, 422, 'idempotency_key_reused')
    assert.deepEqual(await snapshot(), before)
    assert.lengthOf(secondDevice.commands, 0)
  })

  test('refuses the same key for a different slot with 422 idempotency_key_reused', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    await SlotFactory.merge({ machineId: machine.id, productId: product.id, number: 2 }).create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const first = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: machine.code, slot: 1 })
    first.assertStatus(201)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k-1')
      .json({ machine: machine.code, slot: 2 })

    assertApiError(response, 422, 'idempotency_key_reused')
    assert.deepEqual(await snapshot(), before)
  })

  test('keeps keys per shopper: two shoppers may use the same key', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const alice = await createShopper({ balancePaise: 10_000 })
    const bob = await createShopper({ balancePaise: 10_000 })

    const responses = []
    for (const shopper of [alice, bob]) {
      responses.push(
        await client
          .post(`/api/v1/products/${product.id}/buy`)
          .bearerToken(shopper.token)
          .header('Idempotency-Key', 'same-key')
          .json({ machine: machine.code })
      )
    }

    responses.forEach((response) => response.assertStatus(201))
    assert.notEqual(responses[0].body().order.id, responses[1].body().order.id)
    assert.equal(await balanceOf(alice.user.id), 7500)
    assert.equal(await balanceOf(bob.user.id), 7500)
  })

  test('does not burn the key of a refused buy: the retry after a top-up goes through', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 1000 })
    const buy = () =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .header('Idempotency-Key', 'retry-me')
        .json({ machine: machine.code })

    assertApiError(await buy(), 402, 'insufficient_balance')
    await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 2000 })

    const retried = await buy()
    retried.assertStatus(201)
    assert.isFalse(retried.body().replayed)
    assert.equal(await balanceOf(user.id), 500)
  })

  test('accepts a key of 255 characters', async ({ client, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .header('Idempotency-Key', 'k'.repeat(255))
      .json({ machine: machine.code })

    response.assertStatus(201)
  })

  test('refuses a buy with {title} with 422 and changes nothing')
    .with(badKeys)
    .run(async ({ client, assert, cleanup }, { key }) => {
      const { machine, product, device } = await createOnlineMachine()
      cleanup(() => disconnectDevice(device, machine.id))
      const { token } = await createShopper({ balancePaise: 10_000 })
      const before = await snapshot()

      const response = await client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .header('Idempotency-Key', key)
        .json({ machine: machine.code })

      assertApiError(response, 422, 'validation_failed', 'Idempotency-Key')
      assert.deepEqual(await snapshot(), before)
      assert.lengthOf(device.commands, 0)
    })
})

test.group('Idempotency-Key on top-ups', (group) => {
  group.each.setup(truncateAll)

  test('credits once for a repeated key and replays the first ledger row', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const topUp = () =>
      client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .header('Idempotency-Key', 'pay-42')
        .json({ amount_paise: 5000 })

    const first = await topUp()
    first.assertStatus(201)
    assert.isFalse(first.body().replayed)

    const again = await topUp()
    again.assertStatus(200)
    assert.isTrue(again.body().replayed)
    assert.equal(again.body().balance_paise, 5000)
    assert.deepEqual(again.body().transaction, first.body().transaction)

    assert.equal(await balanceOf(user.id), 5000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refuses the same key with a different amount with 422 idempotency_key_reused', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const first = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .header('Idempotency-Key', 'pay-42')
      .json({ amount_paise: 5000 })
    first.assertStatus(201)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .header('Idempotency-Key', 'pay-42')
      .json({ amount_paise: 6000 })

    assertApiError(response, 422, 'idempotency_key_reused')
    assert.deepEqual(await snapshot(), before)
  })

  test('keeps top-up keys per shopper', async ({ client, assert }) => {
    const alice = await createShopper()
    const bob = await createShopper()

    for (const shopper of [alice, bob]) {
      const response = await client
        .post(`/api/v1/users/${shopper.user.id}/add_balance`)
        .bearerToken(shopper.token)
        .header('Idempotency-Key', 'same-key')
        .json({ amount_paise: 1000 })
      response.assertStatus(201)
    }

    assert.equal(await balanceOf(alice.user.id), 1000)
    assert.equal(await balanceOf(bob.user.id), 1000)
  })

  test('refuses a top-up with {title} with 422 and credits nothing')
    .with(badKeys)
    .run(async ({ client, assert }, { key }) => {
      const { user, token } = await createShopper()
      const before = await snapshot()

      const response = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .header('Idempotency-Key', key)
        .json({ amount_paise: 1000 })

      assertApiError(response, 422, 'validation_failed', 'Idempotency-Key')
      assert.deepEqual(await snapshot(), before)
    })
})
