import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { dbTimestamp } from '#services/db_helpers'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import { VEND_TIMEOUT_REASON, VendResult } from '#enums/vend_result'
import Order from '#models/order'
import Slot from '#models/slot'
import BuyProduct from '#actions/orders/buy_product'
import Ledger from '#services/ledger'
import TakeUnit from '#actions/orders/take_unit'
import FailTimedOutVends from '#actions/vends/fail_timed_out_vends'
import ResendUnansweredVends from '#actions/vends/resend_unanswered_vends'
import DispatchVend from '#actions/vends/dispatch_vend'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import VendSweeper from '#jobs/vend_sweeper'
import { truncateAll } from '#tests/helpers/database'
import {
  connectDevice,
  createMachine,
  disconnectDevice,
  eventually,
  expectedVend,
  waitUntilOnline,
} from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'

/**
 * A little past a sent command's deadline and the grace for a vend started
 * just before it (75 s by default): the clock a sweep runs with when a
 * command got no result in time.
 */
function afterTimeout() {
  return DateTime.now().plus({
    milliseconds: vendingConfig.vendTimeoutMs + vendingConfig.vendResultGraceMs + 1000,
  })
}

/**
 * A machine (one slot of one product) with its device connected, and a
 * shopper's API buy whose `vend` the device has received and not answered.
 * The device is closed when the test ends.
 */
async function dispatchedBuy(
  client: ApiClient,
  cleanup: (handler: () => Promise<void>) => void,
  options: { pricePaise?: number; quantity?: number } = {}
) {
  const opened = closeAfter(cleanup)
  const { machine, product, slot, key } = await createMachine(options)
  const device = opened(await connectDevice(machine.code, key))
  await waitUntilOnline(machine.id)
  const { user, token } = await createShopper({ balancePaise: 10_000 })
  const bought = await buyThroughApi(client, token, product, machine)
  const command = await device.nextVend()
  return { machine, product, slot, key, device, user, bought, command }
}

test.group('Vend sweeper', (group) => {
  group.each.setup(truncateAll)

  test('refunds a dispatched vend with no result once its deadline and VEND_RESULT_GRACE_MS have passed, not before', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { slot, device, user, bought, command } = await dispatchedBuy(client, cleanup, {
      pricePaise: 3000,
      quantity: 5,
    })
    const sweep = await app.container.make(FailTimedOutVends)

    assert.equal(await sweep.handle(DateTime.now()), 0)
    assert.equal(
      await sweep.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendTimeoutMs - 2000 })),
      0
    )
    // Past the deadline, but a vend started just before it may still drop.
    assert.equal(
      await sweep.handle(
        DateTime.now().plus({
          milliseconds: vendingConfig.vendTimeoutMs + vendingConfig.vendResultGraceMs - 2000,
        })
      ),
      0
    )
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)

    assert.equal(await sweep.handle(afterTimeout()), 1)

    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, VEND_TIMEOUT_REASON)
    assert.equal(await balanceOf(user.id), 10_000)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        [TransactionKind.TopUp, 10_000],
        [TransactionKind.Purchase, -3000],
        [TransactionKind.Refund, 3000],
      ]
    )
    // The command left the server, so the motor may have turned: the count
    // stays as it was and the slot is flagged for a check.
    const checked = await Slot.findOrFail(slot.id)
    assert.equal(checked.quantity, 4)
    assert.equal(checked.needsCheckReason, VEND_TIMEOUT_REASON)
    assert.equal(checked.needsCheckOrderId, bought.id)

    // A second sweep and a late result change nothing.
    const before = await snapshot()
    assert.equal(await sweep.handle(afterTimeout()), 0)
    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })
    assert.deepEqual(await snapshot(), before)
  })

  test('returns the stock of a timed-out order that was never dispatched', async ({ assert }) => {
    const { machine, product, slot } = await createMachine({ pricePaise: 2000, quantity: 3 })
    const { user } = await createShopper({ balancePaise: 5000 })
    // Online in the database, but this process has no socket.io server: the order stays pending.
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })
    const detached = new DispatchVend(new DeviceChannel(), await app.container.make(DeviceMonitor))
    const { order: pending } = await new BuyProduct(detached, new TakeUnit(), new Ledger()).handle({
      user,
      productId: product.id,
      machineCode: machine.code,
    })
    assert.equal(pending.status, OrderStatus.Pending)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 2)

    const sweep = await app.container.make(FailTimedOutVends)
    assert.equal(await sweep.handle(afterTimeout()), 1)

    const order = await Order.findOrFail(pending.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, VEND_TIMEOUT_REASON)
    assert.isNull(order.dispatchedAt)
    const returned = await Slot.findOrFail(slot.id)
    assert.equal(returned.quantity, 3)
    assert.isNull(returned.needsCheckAt, 'no motor turned: nothing to check')
    assert.equal(await balanceOf(user.id), 5000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('leaves completed orders alone', async ({ client, assert, cleanup }) => {
    const { device, bought, command } = await dispatchedBuy(client, cleanup)
    await device.report(command.command_id, VendResult.Dropped)
    const before = await snapshot()

    const sweep = await app.container.make(FailTimedOutVends)
    assert.equal(await sweep.handle(afterTimeout()), 0)

    assert.deepEqual(await snapshot(), before)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Completed)
  })

  test('the VendSweeper runs the sweep on its interval', async ({ client, assert, cleanup }) => {
    const { user, bought } = await dispatchedBuy(client, cleanup, { pricePaise: 3000 })

    // The server's own sweeper, restarted with a short interval and timeout;
    // put back as it was whatever happens.
    const sweeper = await app.container.make(VendSweeper)
    const { vendTimeoutMs, vendResultGraceMs } = vendingConfig
    await sweeper.stop()
    cleanup(async () => {
      await sweeper.stop()
      Object.assign(vendingConfig, { vendTimeoutMs, vendResultGraceMs })
      sweeper.start()
    })
    Object.assign(vendingConfig, { vendTimeoutMs: 200, vendResultGraceMs: 0 })
    sweeper.start(50)

    const order = await eventually(async () => {
      const current = await Order.findOrFail(bought.id)
      return current.status === OrderStatus.Refunded ? current : null
    })
    assert.equal(order.failureReason, VEND_TIMEOUT_REASON)
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('sends a command with no result again after VEND_RESEND_MS, and the answer to the repeat completes the order once', async ({
    client,
    assert,
    cleanup,
  }) => {
    // The first command is "lost": the device never answers it.
    const {
      slot,
      device,
      user,
      bought,
      command: first,
    } = await dispatchedBuy(client, cleanup, { pricePaise: 3000, quantity: 5 })
    const resend = await app.container.make(ResendUnansweredVends)

    assert.equal(await resend.handle(DateTime.now()), 0)
    assert.equal(
      await resend.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendResendMs + 1000 })),
      1
    )
    const repeat = await device.nextVend()
    assert.deepEqual(repeat, first)

    assert.deepEqual(await device.report(repeat.command_id, VendResult.Dropped), { ok: true })
    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), 7000)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    // Settled: nothing is sent again.
    assert.equal(
      await resend.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendResendMs * 2 })),
      0
    )
    assert.lengthOf(device.commands, 2)
  })

  test('sends nothing past the command deadline, by resend or on reconnect, and refunds it after the grace', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, key, device, user, bought, command } = await dispatchedBuy(
      client,
      cleanup,
      {
        pricePaise: 3000,
        quantity: 5,
      }
    )
    // After dispatchedBuy's: cleanups run last first, and its own waits for every socket to close.
    const opened = closeAfter(cleanup)
    const deadline = DateTime.fromISO(command.expires_at)
    const resend = await app.container.make(ResendUnansweredVends)

    // A resend keeps the first deadline: it is never extended.
    assert.equal(await resend.handle(deadline.minus({ milliseconds: 1000 })), 1)
    assert.deepEqual(await device.nextVend(), command)
    assert.equal(await resend.handle(deadline.plus({ milliseconds: 1 })), 0)

    // The device comes back after the deadline: the old command stays home,
    // a new buy's is the first thing it gets.
    await db
      .from('orders')
      .where('id', bought.id)
      .update({
        dispatched_at: dbTimestamp(
          db.connection(),
          DateTime.now().minus({ milliseconds: vendingConfig.vendTimeoutMs + 1000 })
        ),
      })
    await disconnectDevice(device, machine.id)
    const again = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 5000 })
    const next = await buyThroughApi(client, token, product, machine)
    assert.deepEqual(await again.nextVend(), await expectedVend(next.id))
    assert.deepEqual(await again.report(next.command_id, VendResult.Dropped), { ok: true })
    assert.notInclude(
      again.commands.map((sent) => sent.command_id),
      command.command_id
    )

    const sweep = await app.container.make(FailTimedOutVends)
    assert.equal(await sweep.handle(DateTime.now()), 0)
    assert.equal(
      await sweep.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendResultGraceMs })),
      1
    )
    const order = await Order.findOrFail(bought.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, VEND_TIMEOUT_REASON)
    assert.equal(await balanceOf(user.id), 10_000)
    // The motor may have turned before the deadline: stock is not guessed back.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
  })

  test('does not send again to a machine that is offline (it gets its commands when it connects)', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, device } = await dispatchedBuy(client, cleanup)
    await disconnectDevice(device, machine.id)

    const resend = await app.container.make(ResendUnansweredVends)
    assert.equal(
      await resend.handle(DateTime.now().plus({ milliseconds: vendingConfig.vendResendMs + 1000 })),
      0
    )
  })
})
