import { test } from '@japa/runner'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError } from '#tests/helpers/api'
import { createMachine, createOnlineMachine, disconnectDevice } from '#tests/helpers/device'

test.group('Catalogue', (group) => {
  group.each.setup(truncateAll)

  test('lists machines with their live status', async ({ client, assert, cleanup }) => {
    const online = await createOnlineMachine({ code: 'a-online' })
    cleanup(() => disconnectDevice(online.device, online.machine.id))
    await createMachine({ code: 'b-offline' })
    const { token } = await createShopper()

    const response = await client.get('/api/v1/machines').bearerToken(token)

    response.assertStatus(200)
    assert.deepEqual(
      response
        .body()
        .data.map((machine: { code: string; status: string }) => [machine.code, machine.status]),
      [
        ['a-online', 'online'],
        ['b-offline', 'offline'],
      ]
    )
    // Programs learn up front which machines ask for the display code.
    assert.deepEqual(
      response
        .body()
        .data.map((machine: { requires_display_code: boolean }) => machine.requires_display_code),
      [false, false]
    )
  })

  test('shows a planogram with what can be bought right now', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({
      quantity: 3,
      pricePaise: 2200,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const soldOut = await ProductFactory.create()
    const retired = await ProductFactory.apply('inactive').create()
    await SlotFactory.merge({
      machineId: machine.id,
      productId: soldOut.id,
      number: 2,
      quantity: 0,
    }).create()
    await SlotFactory.merge({
      machineId: machine.id,
      productId: retired.id,
      number: 3,
      quantity: 4,
    }).create()
    const { token } = await createShopper()

    const response = await client
      .get(`/api/v1/machines/${machine.code}/products`)
      .bearerToken(token)

    response.assertStatus(200)
    assert.equal(response.body().machine.code, machine.code)
    assert.deepEqual(
      response
        .body()
        .data.map(
          (row: {
            slot: number
            quantity: number
            available: boolean
            product: { id: number }
          }) => [row.slot, row.product.id, row.quantity, row.available]
        ),
      [
        [1, product.id, 3, true],
        [2, soldOut.id, 0, false],
        [3, retired.id, 4, false],
      ]
    )
    assert.equal(response.body().data[0].product.price_paise, 2200)
  })

  test('shows nothing as available in an offline machine', async ({ client, assert }) => {
    const { machine } = await createMachine({ quantity: 3 })
    const { token } = await createShopper()

    const response = await client
      .get(`/api/v1/machines/${machine.code}/products`)
      .bearerToken(token)

    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((row: { available: boolean }) => row.available),
      [false]
    )
  })

  test('answers 404 for the planogram of an unknown machine', async ({ client }) => {
    const { token } = await createShopper()

    const response = await client
      .get('/api/v1/machines/no-such-machine/products')
      .bearerToken(token)

    assertApiError(response, 404, 'not_found')
  })

  test('lists active products only', async ({ client, assert }) => {
    const active = await ProductFactory.merge({ name: 'Apple juice' }).create()
    await ProductFactory.apply('inactive').merge({ name: 'Banned bar' }).create()
    const { token } = await createShopper()

    const response = await client.get('/api/v1/products').bearerToken(token)

    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((product: { id: number }) => product.id),
      [active.id]
    )
    assert.containsSubset(response.body().data[0], {
      name: 'Apple juice',
      price_paise: 2500,
      is_refundable: true,
    })
  })
})
