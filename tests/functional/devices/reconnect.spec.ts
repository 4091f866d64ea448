import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import Product from '#models/product'
import User from '#models/user'
import BuyProduct from '#actions/orders/buy_product'
import Ledger from '#services/ledger'
import TakeUnit from '#actions/orders/take_unit'
import DispatchVend from '#actions/vends/dispatch_vend'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, createMachine, expectedVend, waitUntilOnline } from '#tests/helpers/device'
import {
  channel,
  closeAfter,
  disconnection,
  waitForMachineStatus,
} from '#tests/helpers/device_session'
import { Namespaces } from '#services/device_protocol'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf, ledgerRowsOf } from '#tests/helpers/api'

/**
 * Buys the way a process without the socket.io server does (an ace
 * command, a worker): the real `BuyProduct` with a `DeviceChannel` that was never
 * attached, so the paid order stays `pending` until a device connects.
 */
async function buyWithoutGateway(user: User, product: Product, machineCode: string) {
  const detached = new DispatchVend(new DeviceChannel(), await app.container.make(DeviceMonitor))
  const { order } = await new BuyProduct(detached, new TakeUnit(), new Ledger()).handle({
    user,
    productId: product.id,
    machineCode,
  })
  return order
}

test.group('Device gateway: reconnects', (group) => {
  group.each.setup(truncateAll)

  test('a device that drops mid-vend gets the same command again and the item is charged and completed once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const before = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    const first = await before.nextVend()
    before.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)

    const after = opened(await connectDevice(machine.code, key))
    const again = await after.nextVend()
    assert.deepEqual(again, first)

    assert.deepEqual(await after.report(again.command_id, VendResult.Dropped), { ok: true })
    // The device missed the ack and resends: acked, nothing changes.
    assert.deepEqual(await after.report(again.command_id, VendResult.Dropped), { ok: true })

    const orders = await Order.query().where('user_id', user.id)
    assert.deepEqual(
      orders.map((order) => [order.id, order.status]),
      [[bought.id, OrderStatus.Completed]]
    )
    assert.equal(await balanceOf(user.id), 7000)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.kind),
      [TransactionKind.TopUp, TransactionKind.Purchase]
    )
  })

  test('every command awaiting a result is re-sent on connect, oldest first', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 1000 })
    const before = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const one = await buyThroughApi(client, token, product, machine)
    const two = await buyThroughApi(client, token, product, machine)
    const three = await buyThroughApi(client, token, product, machine)
    await before.nextVend()
    await before.nextVend()
    const third = await before.nextVend()
    assert.equal(third.order_id, three.id)
    assert.deepEqual(await before.report(third.command_id, VendResult.Dropped), { ok: true })
    before.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)

    const after = opened(await connectDevice(machine.code, key))

    assert.deepEqual(
      [await after.nextVend(), await after.nextVend()].map((command) => command.order_id),
      [one.id, two.id]
    )
    // Nothing for the completed order.
    await waitUntilOnline(machine.id)
    const probe = await buyThroughApi(client, token, product, machine)
    assert.equal((await after.nextVend()).order_id, probe.id)
  })

  test('a command sent while the device connects is not re-sent by the same connect', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 1000 })
    const before = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await before.nextVend()
    before.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)

    // The moment a buy's own send can land: the socket has joined its
    // machine's room, the query for awaiting orders has not run yet (the
    // gateway's connection handler ran first, up to its first await).
    const dispatch = await app.container.make(DispatchVend)
    const order = await Order.findOrFail(bought.id)
    ;(await channel()).io!.of(Namespaces.Devices).once('connection', () => dispatch.send(order))
    const after = opened(await connectDevice(machine.code, key))

    await waitUntilOnline(machine.id)
    const probe = await buyThroughApi(client, token, product, machine)
    await after.nextVend()
    assert.equal((await after.nextVend()).order_id, probe.id)
    assert.deepEqual(
      after.commands.map((command) => command.order_id),
      [bought.id, probe.id]
    )
  })

  test('a pending order, paid where no gateway runs, is dispatched when the device connects', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 2000 })
    const { user } = await createShopper({ balancePaise: 5000 })
    // Online as far as the database knows, but no device holds a socket.
    await db.from('machines').where('id', machine.id).update({ status: MachineStatus.Online })

    const pending = await buyWithoutGateway(user, product, machine.code)
    assert.equal(pending.status, OrderStatus.Pending)
    assert.isNull((await Order.findOrFail(pending.id)).dispatchedAt)

    const device = opened(await connectDevice(machine.code, key))
    const command = await device.nextVend()

    assert.deepEqual(command, await expectedVend(pending.id))
    const dispatched = await Order.findOrFail(pending.id)
    assert.equal(dispatched.status, OrderStatus.Dispensing)
    assert.isNotNull(dispatched.dispatchedAt)
    assert.deepEqual(await device.report(command.command_id, VendResult.Dropped), { ok: true })
    assert.equal((await Order.findOrFail(pending.id)).status, OrderStatus.Completed)
  })

  test('a connection that replaces a live one mid-vend gets the command', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const old = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    const first = await old.nextVend()
    const replaced = disconnection(old)

    const fresh = opened(await connectDevice(machine.code, key))

    assert.equal(await replaced, 'io server disconnect')
    assert.deepEqual(await fresh.nextVend(), first)
    assert.deepEqual(await fresh.report(first.command_id, VendResult.Dropped), { ok: true })
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Completed)
  })
})
