import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import Machine from '#models/machine'
import Order from '#models/order'
import Product from '#models/product'
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
  expectedVend,
  createMachine,
  createOnlineMachine,
  disconnectDevice,
  eventually,
  waitUntilOnline,
} from '#tests/helpers/device'

test.group('Buying', (group) => {
  group.each.setup(truncateAll)

  test('charges the price, takes one unit and sends the vend command', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 3000,
      quantity: 4,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    response.assertStatus(201)
    const { order, replayed } = response.body()
    assert.isFalse(replayed)
    assert.containsSubset(order, {
      status: OrderStatus.Dispensing,
      product_id: product.id,
      machine_id: machine.id,
      slot: 1,
      price_paise: 3000,
      failure_reason: null,
      completed_at: null,
    })
    assert.isString(order.dispatched_at)

    const command = await device.nextVend()
    assert.deepEqual(command, await expectedVend(order.id))

    assert.equal(await balanceOf(user.id), 7000)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    const rows = await ledgerRowsOf(user.id)
    assert.lengthOf(rows, 2)
    assert.deepInclude(rows[1], {
      kind: 'purchase',
      amountPaise: -3000,
      balanceAfterPaise: 7000,
      orderId: order.id,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('charges the price at the time of purchase, not a later price', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 3000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    response.assertStatus(201)
    product.pricePaise = 5000
    await product.save()

    const order = await Order.findOrFail(response.body().order.id)
    assert.equal(order.pricePaise, 3000)
    assert.equal(await balanceOf(user.id), 7000)
  })

  test('sells the last unit, then refuses the next buy as out of stock', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({ quantity: 1 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const first = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    first.assertStatus(201)
    const before = await snapshot()

    const second = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(second, 409, 'out_of_stock')
    assert.deepEqual(await snapshot(), before)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 0)
    assert.equal(await balanceOf(user.id), 10_000 - 2500)
  })

  test('takes from the asked slot, and otherwise from the lowest stocked slot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({ quantity: 0 })
    cleanup(() => disconnectDevice(device, machine.id))
    const slot2 = await SlotFactory.merge({
      machineId: machine.id,
      productId: product.id,
      number: 2,
      quantity: 3,
    }).create()
    const slot3 = await SlotFactory.merge({
      machineId: machine.id,
      productId: product.id,
      number: 3,
      quantity: 3,
    }).create()
    const { token } = await createShopper({ balancePaise: 10_000 })

    const any = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    any.assertStatus(201)
    assert.equal(any.body().order.slot, 2)

    const asked = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code, slot: 3 })
    asked.assertStatus(201)
    assert.equal(asked.body().order.slot, 3)
    assert.equal((await device.nextVend()).slot, 2)
    assert.equal((await device.nextVend()).slot, 3)

    const empty = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code, slot: 1 })
    assertApiError(empty, 409, 'out_of_stock')

    assert.deepEqual(
      (await Slot.query().whereIn('id', [slot.id, slot2.id, slot3.id]).orderBy('number')).map(
        (s) => s.quantity
      ),
      [0, 2, 2]
    )
  })

  test('refuses a buy when the balance is short with 402 and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 2499 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 402, 'insufficient_balance')
    assert.deepEqual(await snapshot(), before)
    assert.equal(await balanceOf(user.id), 2499)
    assert.lengthOf(device.commands, 0)
  })

  test('refuses a buy with a zero balance with 402', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper()
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 402, 'insufficient_balance')
    assert.deepEqual(await snapshot(), before)
  })

  test('sells for exactly the whole balance, leaving zero', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 2500 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    response.assertStatus(201)
    assert.equal(await balanceOf(user.id), 0)
  })

  test('refuses a buy from a machine with no device connected with 409 machine_offline', async ({
    client,
    assert,
  }) => {
    const { machine, product } = await createMachine()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 409, 'machine_offline')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a buy once the device has disconnected', async ({ client, assert }) => {
    const { machine, product, device } = await createOnlineMachine()
    const { token } = await createShopper({ balancePaise: 10_000 })
    await disconnectDevice(device, machine.id)
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 409, 'machine_offline')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a buy from a machine in maintenance even with its device connected', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(async () => {
      // Lift maintenance so the disconnect is written as usual.
      await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })
      await disconnectDevice(device, machine.id)
    })
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Maintenance })
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    const error = assertApiError(response, 409, 'machine_offline')
    assert.match(error.message, /maintenance/i)
    assert.deepEqual(await snapshot(), before)
    assert.lengthOf(device.commands, 0)
  })

  test('keeps a machine in maintenance when its device connects', async ({
    client,
    assert,
    cleanup,
  }) => {
    const machine = await MachineFactory.apply('maintenance').create()
    const product = await ProductFactory.create()
    await SlotFactory.merge({ machineId: machine.id, productId: product.id }).create()
    const device = await connectDevice(machine.code, TEST_DEVICE_KEY)
    cleanup(async () => {
      await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })
      await disconnectDevice(device, machine.id)
    })
    const { token } = await createShopper({ balancePaise: 10_000 })

    await eventually(async () => (await Machine.findOrFail(machine.id)).lastSeenAt)
    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 409, 'machine_offline')
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Maintenance)
  })

  test('refuses a deactivated product with 409 product_unavailable', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    await Product.query().where('id', product.id).update({ is_active: false })
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 409, 'product_unavailable')
    assert.deepEqual(await snapshot(), before)
  })

  test('answers 404 for a product that does not exist', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id + 1000}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 404, 'not_found')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses an unknown machine code with 422 on field machine', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: 'no-such-machine' })

    assertApiError(response, 422, 'unknown_machine', 'machine')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a slot the machine does not have with 422 on field slot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code, slot: 7 })

    assertApiError(response, 422, 'unknown_slot', 'slot')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a slot that holds another product with 422 on field slot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const other = await ProductFactory.create()
    await SlotFactory.merge({ machineId: machine.id, productId: other.id, number: 2 }).create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code, slot: 2 })

    assertApiError(response, 422, 'unknown_slot', 'slot')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a product the machine does not sell with 422 on field machine', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const elsewhere = await ProductFactory.create()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${elsewhere.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })

    assertApiError(response, 422, 'product_not_in_machine', 'machine')
    assert.deepEqual(await snapshot(), before)
  })

  const invalidBodies: { title: string; body: Record<string, unknown>; field: string }[] = [
    { title: 'a missing machine', body: {}, field: 'machine' },
    { title: 'an empty machine code', body: { machine: '' }, field: 'machine' },
    { title: 'a machine code that is not a string', body: { machine: 42 }, field: 'machine' },
    { title: 'slot 0', body: { slot: 0 }, field: 'slot' },
    { title: 'a negative slot', body: { slot: -1 }, field: 'slot' },
    { title: 'a fractional slot', body: { slot: 1.5 }, field: 'slot' },
    { title: 'a slot sent as a string', body: { slot: '1' }, field: 'slot' },
  ]

  test('refuses {title} with 422 and changes nothing')
    .with(invalidBodies)
    .run(async ({ client, assert, cleanup }, { body, field }) => {
      const { machine, product, device } = await createOnlineMachine()
      cleanup(() => disconnectDevice(device, machine.id))
      const { token } = await createShopper({ balancePaise: 10_000 })
      const before = await snapshot()

      const payload = field === 'slot' ? { machine: machine.code, ...body } : body
      const response = await client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .json(payload)

      assertApiError(response, 422, 'validation_failed', field)
      assert.deepEqual(await snapshot(), before)
    })

  test('completes the order when the device reports the item dropped', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 5000 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })

    const order = await Order.findOrFail(response.body().order.id)
    assert.equal(order.status, OrderStatus.Completed)
    assert.isNotNull(order.completedAt)
    assert.equal(await balanceOf(user.id), 3000)
  })

  test('refunds the price automatically when the vend fails, without restocking', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 2000,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 5000 })

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, 'jam'), { ok: true })

    const shown = await client.get(`/api/v1/orders/${response.body().order.id}`).bearerToken(token)
    assert.containsSubset(shown.body().order, {
      status: OrderStatus.Refunded,
      failure_reason: 'jam',
    })
    assert.isString(shown.body().order.failed_at)
    assert.isString(shown.body().order.refunded_at)

    assert.equal(await balanceOf(user.id), 5000)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        ['topup', 5000],
        ['purchase', -2000],
        ['refund', 2000],
      ]
    )
    // The motor may have turned: the real count is unknown until a restock.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 2)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('ignores a repeated vend result: one refund only', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 2000 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 5000 })

    await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, 'no_drop'), { ok: true })
    assert.deepEqual(await device.report(command.command_id, 'no_drop'), { ok: true })
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })

    assert.equal(await balanceOf(user.id), 5000)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'refund'),
      1
    )
  })

  test('re-sends an unanswered vend command when the device reconnects', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, key, device } = await createOnlineMachine()
    const { token } = await createShopper({ balancePaise: 10_000 })
    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    response.assertStatus(201)
    const sent = await device.nextVend()
    await disconnectDevice(device, machine.id)

    const again = await connectDevice(machine.code, key)
    cleanup(() => disconnectDevice(again, machine.id))
    await waitUntilOnline(machine.id)
    assert.deepEqual(await again.nextVend(), sent)
    assert.deepEqual(await again.report(sent.command_id, 'dropped'), { ok: true })
    assert.equal((await Order.findOrFail(sent.order_id)).status, OrderStatus.Completed)
  })
})
