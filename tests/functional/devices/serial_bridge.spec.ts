import { test } from '@japa/runner'
import { SerialPort } from 'serialport'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { VendResult } from '#enums/vend_result'
import Machine from '#models/machine'
import Order from '#models/order'
import SerialBridge, { type SerialBridgeOptions } from '#services/serial_bridge'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import {
  connectDevice,
  createMachine,
  disconnectDevice,
  eventually,
  waitUntilOnline,
} from '#tests/helpers/device'
import { closeAfter, channel, waitForMachineStatus } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf } from '#tests/helpers/api'
import { createPtyPair, openBoard, type FakeBoard, type PtyPair } from '#tests/helpers/serial'
import { freeTcpPort, SERVER_BOOT_TIMEOUT_MS, startProcess } from '#tests/helpers/processes'

type Cleanup = (handler: () => Promise<void>) => void

/**
 * A PTY pair (removed last) and a fake board on its board end; returns
 * `opened` for what the test opens next (closed before the pair goes).
 */
async function wire(cleanup: Cleanup) {
  const pair = await createPtyPair()
  cleanup(() => pair.close())
  const opened = closeAfter(cleanup)
  const board = opened(await openBoard(pair))
  return { pair, board, opened }
}

/**
 * A bridge on the pair's host end against the test server, fast enough
 * for tests, keeping its log lines.
 */
function bridgeOn(
  pair: PtyPair,
  machine: string,
  key: string,
  options: Partial<SerialBridgeOptions> = {}
) {
  const lines: string[] = []
  const bridge = new SerialBridge({
    url: baseUrl(),
    machine,
    key,
    path: pair.host,
    resendMs: 200,
    reopenMs: 100,
    ...options,
    log: (line) => lines.push(line),
  })
  return { bridge, lines }
}

/**
 * Resolves with the order once it reached `status`.
 */
function orderReaches(orderId: number, status: OrderStatus, timeoutMs?: number) {
  return eventually(async () => {
    const order = await Order.findOrFail(orderId)
    return order.status === status ? order : null
  }, timeoutMs)
}

function vendsOf(board: FakeBoard, commandId: string) {
  return board.vends.filter((vend) => vend.commandId === commandId)
}

test.group('USB serial bridge', (group) => {
  group.each.setup(truncateAll)
  // Some tests boot `node ace machine:serial` (SERVER_BOOT_TIMEOUT_MS).
  group.each.timeout(90_000)

  test('relays a bought order to the board as VEND and completes it on RESULT dropped', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { bridge, lines } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.start()
    await waitUntilOnline(machine.id)
    // Boot chatter and errors from the board are logged and change nothing.
    board.send('vendora-esp32 0.2.0 booting')
    board.send('ERROR sensor_warmup')
    board.send('RESULT not-a-uuid dropped')
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.deepEqual(board.vends, [{ commandId: bought.command_id, slot: 1 }])
    assert.include(board.lines, `VEND ${bought.command_id} 1`)
    assert.equal(bridge.results.get(bought.command_id), VendResult.Dropped)
    assert.equal(await balanceOf(user.id), 7000)
    await eventually(async () => lines.some((line) => line.includes('board error: sensor_warmup')))
    assert.isTrue(lines.some((line) => line.includes('board: vendora-esp32 0.2.0 booting')))
    assert.isTrue(
      lines.some((line) =>
        line.includes('ignored malformed line from the board: RESULT not-a-uuid dropped')
      )
    )
  })

  test('a jam reported by the board gets the shopper refunded', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    board.answer = () => 'jam'
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { bridge } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.start()
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Jam)
    assert.equal(await balanceOf(user.id), 10_000)
    assert.lengthOf(board.vends, 1)
  })

  test('a command the server sends again after the board answered is not written to the board again', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    const { machine, product, key } = await createMachine()
    const { bridge, lines } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.start()
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const server = await channel()

    const bought = await buyThroughApi(client, token, product, machine)
    await orderReaches(bought.id, OrderStatus.Completed)
    const acked = () =>
      lines.filter((line) => line.includes(`acknowledged (${bought.command_id})`)).length
    await eventually(async () => acked() >= 1)
    const ackedBefore = acked()

    // The same command again, as a reconnect re-sends it.
    server
      .io!.of('/devices')
      .to(`machine:${machine.id}`)
      .emit('vend', { command_id: bought.command_id, order_id: bought.id, slot: 1 })

    // The stored result goes to the server again; the board hears nothing.
    await eventually(async () => acked() === ackedBefore + 1)
    assert.lengthOf(vendsOf(board, bought.command_id), 1)
    assert.lengthOf(board.vends, 1)
    assert.lengthOf(await Order.query().where('status', OrderStatus.Completed), 1)
  })

  test('a silent board gets no invented result; after a reconnect the VEND goes out again and the late answer settles the order', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    board.answer = () => null
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { bridge, lines } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.start()
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const server = await channel()

    const bought = await buyThroughApi(client, token, product, machine)
    await eventually(async () => board.vends.length === 1)
    // Longer than the bridge's resend interval: a result would have gone out.
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Dispensing)
    assert.equal(bridge.results.size, 0)
    assert.isFalse(lines.some((line) => line.includes('acknowledged')))

    // The link drops (not a server disconnect): the bridge reconnects by
    // itself and the server re-sends the unanswered command.
    board.answer = () => 'dropped'
    for (const socket of server.io!.of('/devices').sockets.values()) socket.conn.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.deepEqual(vendsOf(board, bought.command_id), [
      { commandId: bought.command_id, slot: 1 },
      { commandId: bought.command_id, slot: 1 },
    ])
    assert.isTrue(bridge.connected)
    assert.equal(await balanceOf(user.id), 7000)
  })

  test('reopens the serial port after the cable is pulled and asks the board again', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    board.answer = () => null
    const { machine, product, key } = await createMachine()
    const { bridge, lines } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.start()
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await eventually(async () => board.vends.length === 1)

    let replugged: FakeBoard | undefined
    await board.close()
    await pair.replug(async () => {
      replugged = opened(await openBoard(pair))
    })

    // Killing and respawning socat, and the kernel's hang-up on the old PTY,
    // can take seconds on a loaded machine: a wider wait than elsewhere.
    await orderReaches(bought.id, OrderStatus.Completed, 15_000).catch((error) => {
      throw new Error(
        `${error.message}; bridge log:\n${lines.join('\n')}\nboard vends: ${JSON.stringify(replugged?.vends)}`
      )
    })
    assert.deepEqual(replugged!.vends, [{ commandId: bought.command_id, slot: 1 }])
    assert.isTrue(lines.some((line) => line.includes('reopened')))
    assert.isTrue(bridge.connected)
  })

  test('a RESULT the board announces unasked after a restart reaches the server, and the repeat is not written to the board', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    // The order's command went out over an earlier link that is gone now.
    const earlier = await connectDevice(machine.code, key)
    await waitUntilOnline(machine.id)
    const bought = await buyThroughApi(client, token, product, machine)
    await earlier.nextVend()
    await disconnectDevice(earlier, machine.id)

    // The board restarted mid-vend and says so at boot (PROTOCOL.md 6.2),
    // before the bridge's link to the server is up.
    const { bridge, lines } = bridgeOn(pair, machine.code, key)
    opened(bridge)
    await bridge.line.open()
    board.send(`RESULT ${bought.command_id} interrupted`)
    await eventually(async () =>
      lines.some((line) => line.includes('not awaited here; forwarding it'))
    )
    await bridge.client.connect()

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Interrupted)
    assert.equal(await balanceOf(user.id), 10_000)
    // Whether the server re-sends the command on connect before or after
    // this result settles the order is a race (both are right); either
    // way the stored result answers, and the board vends nothing.
    await eventually(async () =>
      lines.some((line) => line.includes(`result interrupted acknowledged (${bought.command_id})`))
    )
    assert.deepEqual(board.vends, [])
  })

  test('start() fails clearly when the serial device does not exist, and connects nothing', async ({
    assert,
  }) => {
    const { machine, key } = await createMachine()
    const bridge = new SerialBridge({
      url: baseUrl(),
      machine: machine.code,
      key,
      path: '/dev/vendora-no-such-port',
    })

    await assert.rejects(() => bridge.start(), /No such file or directory/)
    assert.isFalse(await (await channel()).isConnected(machine.id))
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Offline)
  })

  test('start() rejects a wrong key with invalid_credentials and lets go of the serial port', async ({
    assert,
    cleanup,
  }) => {
    const { pair, opened } = await wire(cleanup)
    const { machine } = await createMachine({ key: 'right-key' })
    const { bridge } = bridgeOn(pair, machine.code, 'wrong-key')
    opened(bridge)

    await assert.rejects(() => bridge.start(), 'invalid_credentials')

    // serialport locks what it opens: a second open works only if the
    // bridge closed the port.
    const again = new SerialPort({ path: pair.host, baudRate: 115_200, autoOpen: false })
    await new Promise<void>((resolve, reject) =>
      again.open((error) => (error ? reject(error) : resolve()))
    )
    await new Promise<void>((resolve) => again.close(() => resolve()))
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Offline)
  })

  test('node ace machine:serial relays vends as a child process and stops on SIGTERM', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { pair, board, opened } = await wire(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const bridge = opened(
      startProcess('node', [
        'ace',
        'machine:serial',
        '--machine',
        machine.code,
        '--key',
        key,
        '--port',
        pair.host,
        '--url',
        baseUrl(),
      ])
    )
    await bridge.waitForOutput(
      new RegExp(`\\[${machine.code}\\] connected as ${machine.code}`),
      SERVER_BOOT_TIMEOUT_MS
    )
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.deepEqual(board.vends, [{ commandId: bought.command_id, slot: 1 }])
    assert.equal(await balanceOf(user.id), 7000)
    await bridge.waitForOutput(new RegExp(`result dropped acknowledged \\(${bought.command_id}\\)`))

    assert.equal(await bridge.stop('SIGTERM'), 0, bridge.output)
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })

  test('node ace machine:serial stops on SIGTERM while it is still retrying an unreachable server', async ({
    assert,
    cleanup,
  }) => {
    const { pair, opened } = await wire(cleanup)
    const nobody = await freeTcpPort()
    const bridge = opened(
      startProcess(
        'node',
        [
          'ace',
          'machine:serial',
          '--machine',
          'nowhere-1',
          '--key',
          'any-key',
          '--port',
          pair.host,
        ],
        {
          PORT: String(nobody),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        }
      )
    )
    await bridge.waitForOutput(
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${nobody} .*retrying`),
      SERVER_BOOT_TIMEOUT_MS
    )

    bridge.child.kill('SIGTERM')
    const exited = await Promise.race([
      bridge.exited.then((code) => ({ code })),
      new Promise((resolve) => setTimeout(resolve, 5000, null)),
    ])

    assert.deepEqual(exited, { code: 0 }, `still running 5 s after SIGTERM:\n${bridge.output}`)
  })
})
