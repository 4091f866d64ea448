import { test } from '@japa/runner'
import { OrderStatus } from '#enums/order_status'
import { VendResult } from '#enums/vend_result'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, createMachine, waitUntilOnline } from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi, connectShopper } from '#tests/helpers/live_orders'

test.group('Shoppers watching /orders', (group) => {
  group.each.setup(truncateAll)

  test("a shopper sees their own order's updates and never another shopper's", async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const device = opened(await connectDevice(machine.code, key))
    const alice = await createShopper({ balancePaise: 10_000 })
    const bob = await createShopper({ balancePaise: 10_000 })
    const aliceLive = opened(await connectShopper(alice.token))
    const bobLive = opened(await connectShopper(bob.token))
    await waitUntilOnline(machine.id)

    const alicesOrder = await buyThroughApi(client, alice.token, product, machine)
    const command = await device.nextVend()
    await device.report(command.command_id, VendResult.Dropped)
    const completed = await aliceLive.waitForUpdate(
      (order) => order.status === OrderStatus.Completed
    )
    assert.equal(completed.id, alicesOrder.id)
    assert.equal(completed.command_id, alicesOrder.command_id)
    assert.equal(completed.price_paise, 3000)
    assert.isString(completed.completed_at)

    const bobsOrder = await buyThroughApi(client, bob.token, product, machine)
    await device.report((await device.nextVend()).command_id, VendResult.Dropped)
    await bobLive.waitForUpdate((order) => order.status === OrderStatus.Completed)

    assert.sameMembers([...new Set(aliceLive.updates.map((order) => order.id))], [alicesOrder.id])
    assert.sameMembers([...new Set(bobLive.updates.map((order) => order.id))], [bobsOrder.id])
  })

  test('a shopper sees a failed vend end refunded, with the reason', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    const shopper = await createShopper({ balancePaise: 10_000 })
    const live = opened(await connectShopper(shopper.token))
    await waitUntilOnline(machine.id)

    const bought = await buyThroughApi(client, shopper.token, product, machine)
    await device.report((await device.nextVend()).command_id, VendResult.NoDrop)

    const refunded = await live.waitForUpdate((order) => order.status === OrderStatus.Refunded)
    assert.equal(refunded.id, bought.id)
    assert.equal(refunded.failure_reason, VendResult.NoDrop)
    assert.isString(refunded.refunded_at)
  })

  test('refuses a bad, missing or non-string token with invalid_token', async ({ assert }) => {
    const { key } = await createMachine()

    for (const token of ['vnd_not-a-real-token', '', key, 42, undefined]) {
      const error = await connectShopper(token).then(
        (live) => {
          live.close()
          return null
        },
        (refusal: Error) => refusal
      )
      assert.equal(error?.message, 'invalid_token', `token ${JSON.stringify(token)}`)
    }
  })

  test('refuses the token of a deleted shopper', async ({ assert }) => {
    const shopper = await createShopper()
    await shopper.user.delete()

    await assert.rejects(() => connectShopper(shopper.token), 'invalid_token')
  })
})
