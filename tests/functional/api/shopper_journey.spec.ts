import { test } from '@japa/runner'
import { truncateAll } from '#tests/helpers/database'
import Order from '#models/order'
import { OrderStatus } from '#enums/order_status'
import { connectDevice, createMachine, disconnectDevice, eventually } from '#tests/helpers/device'

test.group('Shopper journey', (group) => {
  group.each.setup(truncateAll)

  test('creates a shopper, tops up, buys, and the device drop completes the order', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const device = await connectDevice(machine.code, key)
    cleanup(() => disconnectDevice(device, machine.id))

    const created = await client.post('/api/v1/users')
    created.assertStatus(201)
    const { id, token, username } = created.body()
    assert.match(username, /^[a-z]+(-[a-z]+)+-\d{4}$/)

    const topUp = await client
      .post(`/api/v1/users/${id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 10000 })
    topUp.assertStatus(201)
    assert.equal(topUp.body().balance_paise, 10000)

    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(201)
    const orderId = buy.body().order.id

    const command = await device.nextVend()
    assert.equal(command.order_id, orderId)
    assert.equal(command.slot, 1)
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })

    const order = await eventually(async () => {
      const res = await client.get(`/api/v1/orders/${orderId}`).bearerToken(token)
      return res.body().order.status === OrderStatus.Completed ? res.body().order : null
    })
    assert.equal(order.price_paise, 3000)

    const me = await client.get('/api/v1/users/me').bearerToken(token)
    assert.equal(me.body().balance_paise, 7000)
    assert.equal((await Order.findOrFail(orderId)).status, OrderStatus.Completed)
  })
})
