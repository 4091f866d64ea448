import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import Order from '#models/order'
import Slot from '#models/slot'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'
import { UserFactory } from '#database/factories/user_factory'

/**
 * How many responses had each status, e.g. `{ 201: 5, 409: 45 }`.
 */
function countStatuses(responses: ApiResponse[]) {
  const counts: Record<number, number> = {}
  for (const response of responses) counts[response.status()] = (counts[response.status()] ?? 0) + 1
  return counts
}

/*
 * Every request here runs at once against the real server, so the database
 * sees truly concurrent transactions (several connections on PostgreSQL).
 * Tables are truncated between tests: a global transaction cannot be shared.
 */
test.group('Concurrency', (group) => {
  group.each.setup(truncateAll)

  test('sells exactly the 5 units in stock to 50 simultaneous buys from 10 shoppers', async ({
    client,
    assert,
    cleanup,
  }) => {
    const price = 2500
    const topUp = 5 * price
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: price,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shoppers = await Promise.all(
      Array.from({ length: 10 }, () => createShopper({ balancePaise: topUp }))
    )

    const requests = shoppers.flatMap((shopper) =>
      Array.from({ length: 5 }, () => ({
        shopper,
        response: client
          .post(`/api/v1/products/${product.id}/buy`)
          .bearerToken(shopper.token)
          .json({ machine: machine.code }),
      }))
    )
    const responses = await Promise.all(requests.map((request) => request.response))

    assert.deepEqual(countStatuses(responses), { 201: 5, 409: 45 })
    for (const response of responses.filter((r) => r.status() === 409))
      assertApiError(response, 409, 'out_of_stock')

    assert.equal(
      await Order.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      5
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 0)

    for (const [index, shopper] of shoppers.entries()) {
      const bought = responses.filter(
        (r, i) => requests[i].shopper === shopper && r.status() === 201
      ).length
      assert.equal(await balanceOf(shopper.user.id), topUp - price * bought, `shopper ${index}`)
      const rows = await ledgerRowsOf(shopper.user.id)
      assert.equal(
        rows.reduce((sum, row) => sum + row.amountPaise, 0),
        topUp - price * bought
      )
      assert.lengthOf(
        rows.filter((row) => row.kind === 'purchase'),
        bought
      )
    }
    assert.deepEqual(await ledgerDiscrepancies(), [])

    const orderIds = responses.filter((r) => r.status() === 201).map((r) => r.body().order.id)
    await eventually(async () => device.commands.length >= 5)
    assert.sameMembers(
      device.commands.map((command) => command.order_id),
      orderIds
    )
  })

  test('lets a shopper with money for exactly 2 items win exactly 2 of 10 simultaneous buys', async ({
    client,
    assert,
    cleanup,
  }) => {
    const price = 2500
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: price,
      quantity: 20,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 2 * price })

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client
          .post(`/api/v1/products/${product.id}/buy`)
          .bearerToken(token)
          .json({ machine: machine.code })
      )
    )

    assert.deepEqual(countStatuses(responses), { 201: 2, 402: 8 })
    for (const response of responses.filter((r) => r.status() === 402))
      assertApiError(response, 402, 'insufficient_balance')
    assert.equal(await balanceOf(user.id), 0)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 18)
    assert.equal(
      await Order.query()
        .where('user_id', user.id)
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      2
    )
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [
        row.kind,
        row.amountPaise,
        row.balanceAfterPaise,
      ]),
      [
        ['topup', 5000, 5000],
        ['purchase', -2500, 2500],
        ['purchase', -2500, 0],
      ]
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('charges once for 10 simultaneous buys with one Idempotency-Key', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 2500,
      quantity: 10,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 100_000 })

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client
          .post(`/api/v1/products/${product.id}/buy`)
          .bearerToken(token)
          .header('Idempotency-Key', 'double-tap')
          .json({ machine: machine.code })
      )
    )

    assert.deepEqual(countStatuses(responses), { 201: 1, 200: 9 })
    const orderIds = new Set(responses.map((response) => response.body().order.id))
    assert.equal(orderIds.size, 1)
    assert.deepEqual(
      responses.map((response) => response.body().replayed).sort(),
      [false, ...Array(9).fill(true)].sort()
    )
    assert.equal(await balanceOf(user.id), 97_500)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 9)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'purchase'),
      1
    )

    await device.nextVend()
    // One more, ordinary buy: its command must be the very next one.
    const next = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    assert.equal((await device.nextVend()).order_id, next.body().order.id)
    assert.lengthOf(device.commands, 2)
  })

  test('credits once for 10 simultaneous top-ups with one Idempotency-Key', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client
          .post(`/api/v1/users/${user.id}/add_balance`)
          .bearerToken(token)
          .header('Idempotency-Key', 'payment-1')
          .json({ amount_paise: 5000 })
      )
    )

    assert.deepEqual(countStatuses(responses), { 201: 1, 200: 9 })
    assert.equal(new Set(responses.map((response) => response.body().transaction.id)).size, 1)
    assert.equal(await balanceOf(user.id), 5000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
  })

  test('refunds once for 5 simultaneous refunds of one order', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({
      pricePaise: 4500,
      isRefundable: true,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')

    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        client
          .post(`/api/v1/products/${product.id}/refund`)
          .bearerToken(token)
          .json({ order_id: bought.body().order.id })
      )
    )

    assert.deepEqual(countStatuses(responses), { 200: 1, 409: 4 })
    for (const response of responses.filter((r) => r.status() === 409))
      assertApiError(response, 409, 'already_refunded')
    assert.equal(await balanceOf(user.id), 10_000)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'refund'),
      1
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('keeps the books balanced under mixed simultaneous top-ups and buys', async ({
    client,
    assert,
    cleanup,
  }) => {
    const price = 1000
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: price,
      quantity: 20,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shoppers = await Promise.all(
      Array.from({ length: 4 }, () => createShopper({ balancePaise: price }))
    )

    // Each shopper can pay for one item, and for a second one if their
    // simultaneous top-up lands first; stock never runs out.
    const perShopper = await Promise.all(
      shoppers.map(async (shopper) => {
        const [topUp, ...buys] = await Promise.all([
          client
            .post(`/api/v1/users/${shopper.user.id}/add_balance`)
            .bearerToken(shopper.token)
            .json({ amount_paise: price }),
          ...Array.from({ length: 4 }, () =>
            client
              .post(`/api/v1/products/${product.id}/buy`)
              .bearerToken(shopper.token)
              .json({ machine: machine.code })
          ),
        ])
        return { shopper, topUp, buys }
      })
    )

    let sold = 0
    for (const { shopper, topUp, buys } of perShopper) {
      topUp.assertStatus(201)
      const counts = countStatuses(buys)
      const bought = counts[201] ?? 0
      assert.isAtLeast(bought, 1)
      assert.isAtMost(bought, 2)
      assert.equal(counts[402] ?? 0, 4 - bought)
      assert.equal(await balanceOf(shopper.user.id), 2 * price - bought * price)
      sold += bought
    }
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 20 - sold)
    const [{ total }] = await db.from('orders').count('* as total')
    assert.equal(Number(total), sold)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('no_drop results, resent and racing new buys, give each unit back exactly once and keep stock within 0 … capacity', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 1000,
      quantity: 4,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    assert.equal(slot.capacity, 10)
    const shoppers = await Promise.all(
      Array.from({ length: 4 }, () => createShopper({ balancePaise: 10_000 }))
    )
    const buy = (index: number) =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(shoppers[index % 4].token)
        .json({ machine: machine.code })
    const stock = watchStock(slot.id)

    const first = await Promise.all(Array.from({ length: 8 }, (_, index) => buy(index)))
    assert.deepEqual(countStatuses(first), { 201: 4, 409: 4 })
    await eventually(async () => device.commands.length === 4)
    const failing = device.commands.slice()

    // Every no_drop three times at once, while six more buys race the put-backs.
    const [replies, second] = await Promise.all([
      Promise.all(
        failing.flatMap((command) =>
          [1, 2, 3].map(() => device.report(command.command_id, 'no_drop'))
        )
      ),
      Promise.all(Array.from({ length: 6 }, (_, index) => buy(index))),
    ])
    const { min, max } = await stock.stop()

    for (const reply of replies) assert.deepEqual(reply, { ok: true })
    const sold = countStatuses(second)[201] ?? 0
    assert.isAtMost(sold, 4)
    // Four units went back once each; the second round's buys took theirs.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4 - sold)
    assert.isAtLeast(min, 0)
    assert.isAtMost(max, 4, 'more units than ever were in the slot: one went back twice')
    for (const command of failing) {
      assert.equal((await Order.findOrFail(command.order_id)).status, 'refunded')
    }
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('no_drop put-backs racing a restock to the top never pass the capacity', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 1000,
      quantity: 10,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const admin = await UserFactory.apply('admin').create()
    const { token } = await createShopper({ balancePaise: 100_000 })
    const bought = await Promise.all(
      Array.from({ length: 6 }, () =>
        client
          .post(`/api/v1/products/${product.id}/buy`)
          .bearerToken(token)
          .json({ machine: machine.code })
      )
    )
    assert.deepEqual(countStatuses(bought), { 201: 6 })
    await eventually(async () => device.commands.length === 6)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    const stock = watchStock(slot.id)

    const [replies, restock] = await Promise.all([
      Promise.all(device.commands.map((command) => device.report(command.command_id, 'no_drop'))),
      client
        .post(`/admin/machines/${machine.id}/slots/1/restock`)
        .withGuard('web')
        .loginAs(admin)
        .form({ mode: 'set', quantity: String(slot.capacity) })
        .withCsrfToken()
        .redirects(0),
    ])
    const { min, max } = await stock.stop()

    for (const reply of replies) assert.deepEqual(reply, { ok: true })
    restock.assertStatus(302)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, slot.capacity)
    assert.isAtLeast(min, 0)
    assert.isAtMost(max, slot.capacity)
  })
})

/**
 * Reads slot `slotId`'s quantity over and over until `stop()`, which
 * resolves with the lowest and highest counts seen (the last read included).
 */
function watchStock(slotId: number) {
  let running = true
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  const loop = (async () => {
    do {
      const row = await db.from('slots').where('id', slotId).select('quantity').firstOrFail()
      min = Math.min(min, Number(row.quantity))
      max = Math.max(max, Number(row.quantity))
      await new Promise((resolve) => setImmediate(resolve))
    } while (running)
  })()
  return {
    async stop() {
      running = false
      await loop
      return { min, max }
    },
  }
}
