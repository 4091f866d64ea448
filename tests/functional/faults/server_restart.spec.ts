import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Order from '#models/order'
import Slot from '#models/slot'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { createMachine, eventually } from '#tests/helpers/device'
import { freeTcpPort, startAppServer, type ChildHandle } from '#tests/helpers/processes'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'

const PRICE = 2500
const TOP_UP = 10_000

/**
 * One buy through the child server's API, as a phone would send it.
 */
async function buy(url: string, token: string, productId: number, machine: string) {
  const response = await fetch(`${url}/api/v1/products/${productId}/buy`, {
    method: 'POST',
    headers: {
      'authorization': `Bearer ${token}`,
      'content-type': 'application/json',
      'accept': 'application/json',
    },
    body: JSON.stringify({ machine }),
  })
  return { status: response.status, body: (await response.json()) as { order: { id: number } } }
}

/*
 * A crash must not lose or repeat a paid vend: the server process dies
 * (SIGKILL, no graceful shutdown) while a vend is out at the device, and
 * comes back on the same port. The real server runs as a child process on
 * the suite's database; the device reconnects by itself, as the Arduino
 * client does.
 */
test.group('Faults: server killed mid-vend', (group) => {
  group.each.setup(truncateAll)
  group.each.timeout(60_000)

  test('settles the vend once when the device reports after the restart', async ({
    assert,
    cleanup,
  }) => {
    const port = await freeTcpPort()
    const url = `http://127.0.0.1:${port}`
    const servers: ChildHandle[] = []
    cleanup(async () => {
      for (const server of servers) await server.stop('SIGKILL')
    })
    const { machine, product, slot, key } = await createMachine({ pricePaise: PRICE, quantity: 5 })
    const { user, token } = await createShopper({ balancePaise: TOP_UP })

    servers.push(await startAppServer(port))
    const device = new FirmwareDevice(url, machine.code, key, { result: null, reconnect: true })
    cleanup(() => device.close())
    await device.waitForHello(1)
    await eventually(async () => (await machine.refresh()).status === 'online')

    const bought = await buy(url, token, product.id, machine.code)
    assert.equal(bought.status, 201)
    await device.waitForVends(1)
    const [first] = device.received

    await servers[0].stop('SIGKILL')
    servers.push(await startAppServer(port))
    await device.waitForHello(2)
    // §6.3: the command is still awaiting a result, so it comes again.
    await device.waitForVends(2)
    assert.equal(device.received[1].command_id, first.command_id)

    device.finish(first.command_id, 'dropped')
    await eventually(async () => device.results.get(first.command_id)?.acked)
    // A resend of the same result (the ack was lost, say) changes nothing.
    const again = await device.socket
      .timeout(5000)
      .emitWithAck('vend_result', { command_id: first.command_id, result: 'dropped' })
    assert.deepEqual(again, { ok: true })

    const order = await Order.findOrFail(bought.body.order.id)
    assert.equal(order.status, OrderStatus.Completed)
    assert.equal(
      await Order.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      1
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.equal(await balanceOf(user.id), TOP_UP - PRICE)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.kind),
      ['topup', 'purchase']
    )
    assert.deepEqual(await ledgerDiscrepancies(), [])
    // The motor turned once, though the command arrived twice.
    assert.deepEqual(device.dispensed, [first.command_id])
  })

  test('fails and refunds once a vend whose device never answers, across the restart', async ({
    assert,
    cleanup,
  }) => {
    const port = await freeTcpPort()
    const url = `http://127.0.0.1:${port}`
    const env = {
      VEND_TIMEOUT_MS: '2000',
      VEND_RESULT_GRACE_MS: '1000',
      VEND_SWEEP_INTERVAL_MS: '250',
    }
    const servers: ChildHandle[] = []
    cleanup(async () => {
      for (const server of servers) await server.stop('SIGKILL')
    })
    const { machine, product, slot, key } = await createMachine({ pricePaise: PRICE, quantity: 5 })
    const { user, token } = await createShopper({ balancePaise: TOP_UP })

    servers.push(await startAppServer(port, env))
    const device = new FirmwareDevice(url, machine.code, key, { result: null, reconnect: true })
    cleanup(() => device.close())
    await device.waitForHello(1)
    await eventually(async () => (await machine.refresh()).status === 'online')

    const bought = await buy(url, token, product.id, machine.code)
    assert.equal(bought.status, 201)
    await device.waitForVends(1)
    await servers[0].stop('SIGKILL')
    servers.push(await startAppServer(port, env))
    await device.waitForHello(2)

    const orderId = bought.body.order.id
    await eventually(
      async () => (await Order.findOrFail(orderId)).status === OrderStatus.Refunded,
      15_000
    )
    const order = await Order.findOrFail(orderId)
    assert.equal(order.failureReason, 'timeout')

    // A result that turns up after the timeout is acked and changes nothing.
    const late = await device.socket
      .timeout(5000)
      .emitWithAck('vend_result', { command_id: order.commandId, result: 'dropped' })
    assert.deepEqual(late, { ok: true })
    // Two more sweeps: nothing is refunded a second time.
    await new Promise((resolve) => setTimeout(resolve, 600))

    assert.equal((await Order.findOrFail(orderId)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), TOP_UP)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.kind),
      ['topup', 'purchase', 'refund']
    )
    // Sent to the device before it was lost: the unit may have moved.
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
    assert.deepEqual(await ledgerDiscrepancies(), [])
    const [{ total }] = await db.from('orders').count('* as total')
    assert.equal(Number(total), 1)
  })
})
