import { test } from '@japa/runner'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'

test.group('Orders', (group) => {
  group.each.setup(truncateAll)

  test("lists only the shopper's own orders, newest first", async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine({ quantity: 5 })
    cleanup(() => disconnectDevice(device, machine.id))
    const alice = await createShopper({ balancePaise: 10_000 })
    const bob = await createShopper({ balancePaise: 10_000 })

    const ids: Record<string, number[]> = { alice: [], bob: [] }
    for (const [name, shopper] of [
      ['alice', alice],
      ['bob', bob],
      ['alice', alice],
    ] as const) {
      const response = await client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(shopper.token)
        .json({ machine: machine.code })
      response.assertStatus(201)
      ids[name].push(response.body().order.id)
    }

    const response = await client.get('/api/v1/orders').bearerToken(alice.token)

    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((order: { id: number }) => order.id),
      [...ids.alice].reverse()
    )
    assert.deepEqual(response.body().meta, { page: 1, total: 2 })
  })

  test('shows an order to its shopper', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 1800 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    const response = await client.get(`/api/v1/orders/${bought.body().order.id}`).bearerToken(token)

    response.assertStatus(200)
    assert.deepEqual(response.body().order, bought.body().order)
    assert.equal(response.body().order.status, OrderStatus.Dispensing)
  })

  test("answers 404 for someone else's order, as if it did not exist", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const owner = await createShopper({ balancePaise: 10_000 })
    const intruder = await createShopper()
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(owner.token)
      .json({ machine: machine.code })
    const orderId = bought.body().order.id

    const foreign = await client.get(`/api/v1/orders/${orderId}`).bearerToken(intruder.token)
    const missing = await client.get(`/api/v1/orders/${orderId + 1000}`).bearerToken(intruder.token)

    assertApiError(foreign, 404, 'not_found')
    assertApiError(missing, 404, 'not_found')
    assert.lengthOf((await client.get('/api/v1/orders').bearerToken(intruder.token)).body().data, 0)
  })

  test("lets an admin see a shopper's order", async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper({ balancePaise: 10_000 })
    const admin = await createShopper({ admin: true })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(shopper.token)
      .json({ machine: machine.code })

    const response = await client
      .get(`/api/v1/orders/${bought.body().order.id}`)
      .bearerToken(admin.token)

    response.assertStatus(200)
    assert.equal(response.body().order.id, bought.body().order.id)
  })
})
