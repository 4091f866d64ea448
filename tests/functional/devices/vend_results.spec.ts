import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import Slot from '#models/slot'
import { truncateAll } from '#tests/helpers/database'
import {
  connectDevice,
  createMachine,
  eventually,
  expectedVend,
  waitUntilOnline,
} from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'

/**
 * Resolves with the order once it has left `pending`/`dispensing`.
 */
function settled(orderId: number) {
  return eventually(async () => {
    const order = await Order.findOrFail(orderId)
    return [OrderStatus.Completed, OrderStatus.Refunded].includes(order.status) ? order : null
  })
}

test.group('Device gateway: vend results', (group) => {
  group.each.setup(truncateAll)

  test('dropped completes the order and keeps the charge', async ({ client, assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    assert.equal(bought.status, OrderStatus.Dispensing)
    const command = await device.nextVend()
    assert.deepEqual(command, await expectedVend(bought.id))

    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })

    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Completed)
    assert.isNotNull(order.completedAt)
    assert.isNull(order.failureReason)
    assert.equal(await balanceOf(user.id), 7000)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        [TransactionKind.TopUp, 10_000],
        [TransactionKind.Purchase, -3000],
      ]
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
  })

  test('expired (the command reached the device past its deadline) refunds the shopper and puts the unit back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.deepEqual(await device.report(command.command_id, VendResult.Expired), { ok: true })

    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Expired)
    assert.equal(await balanceOf(user.id), 10_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
    // No motor turned: the unit is still in the slot.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
    // A repeat of the result changes nothing.
    assert.deepEqual(await device.report(command.command_id, VendResult.Expired), { ok: true })
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('jam fails the order and refunds the shopper at once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    assert.equal(await balanceOf(user.id), 7000)

    // The ack comes after the refund is committed.
    assert.deepEqual(await device.report(command.command_id, VendResult.Jam), { ok: true })

    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Jam)
    assert.isNotNull(order.failedAt)
    assert.isNotNull(order.refundedAt)
    assert.equal(await balanceOf(user.id), 10_000)
    const refunds = (await ledgerRowsOf(user.id)).filter(
      (row) => row.kind === TransactionKind.Refund
    )
    assert.deepEqual(
      refunds.map((row) => [row.amountPaise, row.orderId, row.externalReference]),
      [[3000, bought.id, `refund:order:${bought.id}`]]
    )
    // The motor may have turned: the slot's count is left for the operator.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('every result but dropped refunds, with the result as the failure reason', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const failures = [
      VendResult.NoDrop,
      VendResult.Jam,
      VendResult.SensorFault,
      VendResult.Interrupted,
    ]
    const { machine, product, key } = await createMachine({ pricePaise: 1500, quantity: 10 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 6000 })

    for (const result of failures) {
      const bought = await buyThroughApi(client, token, product, machine)
      const command = await device.nextVend()
      assert.equal(command.order_id, bought.id)
      assert.equal(await balanceOf(user.id), 4500, `charged before ${result}`)

      assert.deepEqual(await device.report(command.command_id, result), { ok: true })

      const order = await Order.findOrFail(bought.id)
      assert.equal(order.status, OrderStatus.Refunded, result)
      assert.equal(order.failureReason, result)
      assert.equal(await balanceOf(user.id), 6000, `refunded after ${result}`)
    }
    const rows = await ledgerRowsOf(user.id)
    assert.lengthOf(
      rows.filter((row) => row.kind === TransactionKind.Refund),
      failures.length
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('a repeated dropped for the same command is acked and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })
    const before = await snapshot()

    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })
    assert.deepEqual(await device.report(command.command_id, VendResult.Jam), { ok: true })

    assert.deepEqual(await snapshot(), before)
    assert.equal(await balanceOf(user.id), 7000)
  })

  test('a result for an unknown command id is acked and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await device.nextVend()
    const before = await snapshot()

    assert.deepEqual(
      await device.report('6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', VendResult.Dropped),
      { ok: true }
    )
    assert.deepEqual(await device.report('6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', VendResult.Jam), {
      ok: true,
    })

    assert.deepEqual(await snapshot(), before)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)
  })

  test("a device cannot settle another machine's command", async ({ client, assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const mine = await createMachine({ code: 'machine-a', pricePaise: 3000 })
    const other = await createMachine({ code: 'machine-b' })
    const device = opened(await connectDevice(mine.machine.code, mine.key))
    const intruder = opened(await connectDevice(other.machine.code, other.key))
    await waitUntilOnline(mine.machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, mine.product, mine.machine)
    const command = await device.nextVend()

    // Neither a refund nor a completion from the wrong machine.
    assert.deepEqual(await intruder.report(command.command_id, VendResult.Jam), { ok: true })
    assert.deepEqual(await intruder.report(command.command_id, VendResult.Dropped), { ok: true })
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)
    assert.equal(await balanceOf(user.id), 7000)

    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })
    assert.equal((await settled(bought.id)).status, OrderStatus.Completed)
    assert.lengthOf(intruder.commands, 0)
  })

  test('a malformed vend_result gets ok:false invalid_payload and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    const before = await snapshot()

    const malformed: unknown[] = [
      { command_id: command.command_id },
      { command_id: command.command_id, result: 'exploded' },
      { command_id: command.command_id, result: 'DROPPED' },
      { command_id: 'not-a-uuid', result: VendResult.Dropped },
      { result: VendResult.Dropped },
      'dropped',
      [command.command_id, VendResult.Dropped],
      null,
    ]
    for (const payload of malformed) {
      const reply = await device.socket.timeout(5000).emitWithAck('vend_result', payload)
      assert.deepEqual(reply, { ok: false, error: 'invalid_payload' }, JSON.stringify(payload))
    }

    assert.deepEqual(await snapshot(), before)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)
  })

  test('a vend_result sent without an ack id is still applied', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()

    device.socket.emit('vend_result', {
      command_id: command.command_id,
      result: VendResult.Dropped,
    })

    assert.equal((await settled(bought.id)).status, OrderStatus.Completed)
  })
})

test.group('Device gateway: what a failed vend does to the stock', (group) => {
  group.each.setup(truncateAll)

  /**
   * A connected machine (slot 1: `quantity` of `capacity` units at ₹30)
   * and a shopper whose buy's `vend` the device received.
   */
  async function boughtAndSent(cleanup: (handler: () => Promise<void>) => void, quantity = 5) {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity })
    const device = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    return { machine, product, slot, device }
  }

  test('no_drop puts the unit back, exactly once, and flags nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await boughtAndSent(cleanup, 5)
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)

    assert.deepEqual(await device.report(command.command_id, VendResult.NoDrop), { ok: true })

    const after = await Slot.findOrFail(slot.id)
    assert.equal(after.quantity, 5)
    assert.isNull(after.needsCheckAt)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), 10_000)

    // Resent or contradicting results change nothing: the unit went back once.
    assert.deepEqual(await device.report(command.command_id, VendResult.NoDrop), { ok: true })
    assert.deepEqual(await device.report(command.command_id, VendResult.Jam), { ok: true })
    const again = await Slot.findOrFail(slot.id)
    assert.equal(again.quantity, 5)
    assert.isNull(again.needsCheckAt)
  })

  test('no_drop never puts a slot above its capacity', async ({ client, assert, cleanup }) => {
    const { machine, product, slot, device } = await boughtAndSent(cleanup, 10)
    const { token } = await createShopper({ balancePaise: 10_000 })
    await buyThroughApi(client, token, product, machine)
    const command = await device.nextVend()
    // The operator filled the slot to the top while the motor turned.
    await db.from('slots').where('id', slot.id).update({ quantity: slot.capacity })

    assert.deepEqual(await device.report(command.command_id, VendResult.NoDrop), { ok: true })

    assert.equal((await Slot.findOrFail(slot.id)).quantity, slot.capacity)
  })

  test('jam, sensor_fault and interrupted leave the count and flag the slot for a check', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await boughtAndSent(cleanup, 10)
    const { token } = await createShopper({ balancePaise: 10_000 })

    for (const [index, result] of [
      VendResult.Jam,
      VendResult.SensorFault,
      VendResult.Interrupted,
    ].entries()) {
      await db
        .from('slots')
        .where('id', slot.id)
        .update({ needs_check_at: null, needs_check_reason: null, needs_check_order_id: null })
      const bought = await buyThroughApi(client, token, product, machine)
      const command = await device.nextVend()
      assert.deepEqual(await device.report(command.command_id, result), { ok: true })

      const after = await Slot.findOrFail(slot.id)
      assert.equal(after.quantity, 10 - (index + 1), `${result}: the unit stays taken`)
      assert.isNotNull(after.needsCheckAt, result)
      assert.equal(after.needsCheckReason, result)
      assert.equal(after.needsCheckOrderId, bought.id)
      assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Refunded, result)
    }

    // A later failure keeps the first mark, the oldest thing nobody looked at.
    const first = await Slot.findOrFail(slot.id)
    await buyThroughApi(client, token, product, machine)
    assert.deepEqual(await device.report((await device.nextVend()).command_id, VendResult.Jam), {
      ok: true,
    })
    const kept = await Slot.findOrFail(slot.id)
    assert.equal(kept.needsCheckReason, VendResult.Interrupted)
    assert.equal(kept.needsCheckOrderId, first.needsCheckOrderId)
  })
})
