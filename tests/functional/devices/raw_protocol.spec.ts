import http from 'node:http'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import vendingConfig from '#config/vending'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import Machine from '#models/machine'
import type Product from '#models/product'
import Order from '#models/order'
import Slot from '#models/slot'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import {
  connectDevice,
  createMachine,
  eventually,
  expectedVend,
  waitUntilOnline,
} from '#tests/helpers/device'
import { closeAfter, channel, waitForMachineStatus } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi, type PresentedOrder } from '#tests/helpers/live_orders'
import { ledgerRowsOf, snapshot } from '#tests/helpers/api'
import { RawDevice, loadVector, replayVector } from '#tests/helpers/device_protocol'

/**
 * The `buy` trigger of a vector: once the machine is online, a shopper
 * buys one item from slot 1 through the API.
 */
function buyTrigger(
  client: ApiClient,
  token: string,
  product: Product,
  machine: Machine,
  bought: PresentedOrder[]
) {
  return async () => {
    await waitUntilOnline(machine.id)
    bought.push(await buyThroughApi(client, token, product, machine))
  }
}

/**
 * Sets the server's Engine.IO heartbeat for connections opened from now
 * on, and returns a function that puts the configured values back.
 */
async function shortHeartbeat(pingInterval: number, pingTimeout: number) {
  const opts = (await channel()).io!.engine.opts
  const saved = { pingInterval: opts.pingInterval, pingTimeout: opts.pingTimeout }
  Object.assign(opts, { pingInterval, pingTimeout })
  return () => void Object.assign(opts, saved)
}

test.group('Device protocol on the wire (ESP32 emulation)', (group) => {
  group.each.setup(truncateAll)

  test('vend_success: polling handshake, upgrade, hello, status, vend, dropped, ack', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const vector = await loadVector('vend_success')
    const device = opened(await RawDevice.connect(vector.connect))
    const bought: PresentedOrder[] = []

    const vars = await replayVector(
      device,
      vector,
      { machine: machine.code, key },
      { buy: buyTrigger(client, token, product, machine, bought) }
    )

    // The heartbeat the device is told is the one config/vending.ts sets.
    assert.equal(Number(vars.ping_interval), vendingConfig.devicePingIntervalMs)
    assert.equal(Number(vars.ping_timeout), vendingConfig.devicePingTimeoutMs)
    assert.equal(vars.command_id, bought[0].command_id)
    assert.equal(Number(vars.order_id), bought[0].id)
    assert.isFalse(
      device.transcript.some((frame) => frame.dir === 'device' && frame.frame === '2'),
      'the device never pings'
    )

    const order = await Order.findOrFail(bought[0].id)
    assert.equal(order.status, OrderStatus.Completed)
    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion ? current : null
    })
    assert.equal(stored.firmwareVersion, 'vendora-esp32-0.1.0')
    assert.deepEqual(stored.telemetry, {
      firmware: 'vendora-esp32-0.1.0',
      rssi: -61,
      free_heap: 183_204,
      uptime_ms: 5230,
      sensor_ok: true,
    })
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.kind),
      [TransactionKind.TopUp, TransactionKind.Purchase]
    )
  })

  test('vend_expired: a command answered expired is refunded and its unit put back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const vector = await loadVector('vend_expired')
    const device = opened(await RawDevice.connect(vector.connect))
    const bought: PresentedOrder[] = []

    const vars = await replayVector(
      device,
      vector,
      { machine: machine.code, key },
      { buy: buyTrigger(client, token, product, machine, bought) }
    )

    assert.equal(vars.expires_at, (await expectedVend(bought[0].id)).expires_at)
    const order = await Order.findOrFail(bought[0].id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'expired')
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        [TransactionKind.TopUp, 10_000],
        [TransactionKind.Purchase, -3000],
        [TransactionKind.Refund, 3000],
      ]
    )
  })

  test('status_telemetry: every device health field is stored as the machine telemetry', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const vector = await loadVector('status_telemetry')
    const device = opened(await RawDevice.connect(vector.connect))

    await replayVector(device, vector, { machine: machine.code, key })

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion ? current : null
    })
    const sent = vector.frames.at(-1)!.frame
    assert.deepEqual(stored.telemetry, JSON.parse(sent.slice(sent.indexOf(',') + 1))[1])
    assert.equal(stored.telemetry?.reset_reason, 'brownout')
    assert.lengthOf(stored.telemetry?.slots ?? [], 2)
  })

  test('vend_failure: jam refunds once, and the resent result is acked again', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const vector = await loadVector('vend_failure')
    const device = opened(await RawDevice.connect(vector.connect))
    const bought: PresentedOrder[] = []

    await replayVector(
      device,
      vector,
      { machine: machine.code, key },
      { buy: buyTrigger(client, token, product, machine, bought) }
    )

    const order = await Order.findOrFail(bought[0].id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'jam')
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        [TransactionKind.TopUp, 10_000],
        [TransactionKind.Purchase, -3000],
        [TransactionKind.Refund, 3000],
      ]
    )
  })

  test('vend_redelivery: after a reconnect the unfinished command comes again and the stored result settles it', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    // The precondition: a command sent on an earlier connection that ended without a result.
    const earlier = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const bought = await buyThroughApi(client, token, product, machine)
    const first = await earlier.nextVend()
    earlier.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
    const vector = await loadVector('vend_redelivery')
    const device = opened(await RawDevice.connect(vector.connect))

    const vars = await replayVector(device, vector, { machine: machine.code, key })

    assert.equal(vars.command_id, first.command_id)
    assert.equal(Number(vars.order_id), bought.id)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Completed)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.kind),
      [TransactionKind.TopUp, TransactionKind.Purchase]
    )
  })

  test('ack_rules: unknown command ids are acked ok, malformed results get invalid_payload', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const vector = await loadVector('ack_rules')
    const device = opened(await RawDevice.connect(vector.connect))
    const before = await snapshot()

    await replayVector(device, vector, { machine: machine.code, key })

    assert.deepEqual(await snapshot(), before)
  })

  test('invalid_credentials: refused connects get 44 and the connection stays usable', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine({ key: 'the-device-key' })
    const vector = await loadVector('invalid_credentials')
    const device = opened(await RawDevice.connect(vector.connect))

    await replayVector(device, vector, { machine: machine.code, key })

    await waitForMachineStatus(machine.id, MachineStatus.Online)
    assert.isFalse(device.closed)
  })

  test('ping_pong: the server pings, the device pongs, the link stays up', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    cleanup(await shortHeartbeat(300, 2000))
    const vector = await loadVector('ping_pong')
    const device = opened(await RawDevice.connect(vector.connect))

    const vars = await replayVector(device, vector, { machine: machine.code, key })

    assert.equal(vars.ping_interval, '300')
    assert.isFalse(device.closed)
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Online)
  })

  test('a device that stops answering pings is dropped and marked offline', async ({ cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    cleanup(await shortHeartbeat(200, 300))
    const device = opened(await RawDevice.connect('websocket'))
    await device.next()
    device.send(`40/devices,${JSON.stringify({ machine: machine.code, key })}`)
    await waitForMachineStatus(machine.id, MachineStatus.Online)

    // No pong: the server gives up after pingInterval + pingTimeout.
    await device.waitForClose()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })

  test('an event sent before the namespace is joined closes the connection (why devices wait for hello)', async ({
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await RawDevice.connect('websocket'))
    await device.next()

    device.send(`40/devices,${JSON.stringify({ machine: machine.code, key })}`)
    device.send('42/devices,["status",{"rssi":-60}]')

    await device.waitForClose()
    assert.isFalse(device.transcript.some((frame) => frame.frame.startsWith('42/devices,["hello"')))
    assert.isNull((await Machine.findOrFail(machine.id)).telemetry)
  })

  test('a second namespace connect on a joined connection closes it', async ({ cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await RawDevice.connect('websocket'))
    await device.next()
    const connect = `40/devices,${JSON.stringify({ machine: machine.code, key })}`
    device.send(connect)
    await device.next()
    await device.next()
    await waitForMachineStatus(machine.id, MachineStatus.Online)

    device.send(connect)

    await device.waitForClose()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })

  test('a device that sends an Engine.IO ping of its own is disconnected (v4 heartbeats go server to device)', async ({
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await RawDevice.connect('websocket'))
    await device.next()
    device.send(`40/devices,${JSON.stringify({ machine: machine.code, key })}`)
    await device.next()
    await device.next()
    await waitForMachineStatus(machine.id, MachineStatus.Online)

    device.send('2')

    await device.waitForClose()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })

  test('a replaced connection is told 41/devices, and closed', async ({ assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const connect = `40/devices,${JSON.stringify({ machine: machine.code, key })}`
    const old = opened(await RawDevice.connect('websocket'))
    await old.next()
    old.send(connect)
    await old.next()
    await old.next()
    // The machine's display code follows `hello`; a sweep racing
    // the connect may send it twice, so later ones are skipped below.
    assert.match(await old.next(), /^42\/devices,\["display_code",/)

    const fresh = opened(await RawDevice.connect('websocket'))
    await fresh.next()
    fresh.send(connect)

    let frame = await old.next()
    while (frame.startsWith('42/devices,["display_code",')) frame = await old.next()
    assert.equal(frame, '41/devices,')
    await old.waitForClose()
    assert.match(await fresh.next(), /^40\/devices,\{"sid":/)
    assert.match(await fresh.next(), /^42\/devices,\["hello",/)
    assert.isFalse(fresh.closed)
  })

  test('a frame over the 16 KiB limit closes the connection', async ({ cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, key } = await createMachine()
    const device = opened(await RawDevice.connect('websocket'))
    await device.next()
    device.send(`40/devices,${JSON.stringify({ machine: machine.code, key })}`)
    await device.next()
    await device.next()

    device.send(`42/devices,["status",{"firmware":"${'x'.repeat(17 * 1024)}"}]`)

    await device.waitForClose()
  })

  test('the Arduino default Engine.IO v3 handshake is refused: the URL must carry EIO=4', async ({
    assert,
  }) => {
    const { status, body } = await new Promise<{ status?: number; body: string }>(
      (resolve, reject) => {
        http
          .get(`${baseUrl()}/socket.io/?EIO=3&transport=polling`, { agent: false }, (response) => {
            let text = ''
            response.on('data', (chunk) => (text += chunk))
            response.on('end', () => resolve({ status: response.statusCode, body: text }))
          })
          .on('error', reject)
      }
    )

    assert.equal(status, 400)
    assert.deepEqual(JSON.parse(body), { code: 5, message: 'Unsupported protocol version' })
  })
})
