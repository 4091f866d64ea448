import { createServer, connect, type AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { dbTimestamp } from '#services/db_helpers'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { VendResult } from '#enums/vend_result'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import app from '@adonisjs/core/services/app'
import DispatchVend from '#actions/vends/dispatch_vend'
import MachineSimulator, { type SimulatorOptions } from '#services/machine_simulator'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import {
  connectDevice,
  createMachine,
  disconnectDevice,
  eventually,
  expectedVend,
  waitUntilOnline,
} from '#tests/helpers/device'
import { closeAfter, channel, waitForMachineStatus } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf } from '#tests/helpers/api'
import { freeTcpPort, SERVER_BOOT_TIMEOUT_MS, startProcess } from '#tests/helpers/processes'

/**
 * A simulator against the test server that keeps its log lines, fast
 * enough for tests.
 */
function simulator(machine: string, key: string, options: Partial<SimulatorOptions> = {}) {
  const lines: string[] = []
  const simulated = new MachineSimulator({
    url: baseUrl(),
    machine,
    key,
    vendMs: 50,
    resendMs: 200,
    ...options,
    log: (line) => lines.push(line),
  })
  return {
    simulated,
    lines,
    vends: () => lines.filter((line) => line.includes('vending slot')).length,
  }
}

/**
 * Resolves with the order once it reached `status`.
 */
function orderReaches(orderId: number, status: OrderStatus) {
  return eventually(async () => {
    const order = await Order.findOrFail(orderId)
    return order.status === status ? order : null
  })
}

test.group('Machine simulator', (group) => {
  group.each.setup(truncateAll)

  test('completes a bought order end to end over the real protocol', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { simulated, vends } = simulator(machine.code, key)
    opened(simulated)
    await simulated.connect()
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.equal(simulated.results.get(bought.command_id), VendResult.Dropped)
    assert.equal(vends(), 1)
    assert.equal(await balanceOf(user.id), 7000)
    // The simulator reports its firmware on hello.
    const stored = await eventually(
      async () => (await Machine.findOrFail(machine.id)).firmwareVersion
    )
    assert.equal(stored, 'simulator-1.0')
  })

  test('a jamming simulator gets its shopper refunded', async ({ client, assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine({ pricePaise: 3000 })
    const { simulated } = simulator(machine.code, key, { dropRate: 0, jamRate: 1 })
    opened(simulated)
    await simulated.connect()
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Jam)
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('sent the same command twice, it vends once', async ({ client, assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const { simulated, lines, vends } = simulator(machine.code, key, { vendMs: 600 })
    opened(simulated)
    await simulated.connect()
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const server = await channel()

    const bought = await buyThroughApi(client, token, product, machine)
    await eventually(async () => vends() === 1)
    // While the motor turns: the gateway re-sends the dispensing order's command.
    await (await app.container.make(DispatchVend)).handle(await Order.findOrFail(bought.id))
    await orderReaches(bought.id, OrderStatus.Completed)

    // After the result: the same command again, as a reconnect re-sends it.
    const acked = () =>
      lines.filter((line) => line.includes(`acknowledged (${bought.command_id})`)).length
    await eventually(async () => acked() >= 1)
    const ackedBefore = acked()
    server
      .io!.of('/devices')
      .to(`machine:${machine.id}`)
      .emit('vend', { command_id: bought.command_id, order_id: bought.id, slot: 1 })
    // The stored result goes out again instead of a second vend.
    await eventually(async () => acked() === ackedBefore + 1)

    assert.equal(vends(), 1)
    assert.equal((await Order.findOrFail(bought.id)).status, OrderStatus.Completed)
    assert.lengthOf(await Order.query().where('status', OrderStatus.Completed), 1)
  })

  test('a command that reaches it past its deadline is answered expired: no motor, refunded, unit put back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, slot, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    // A device that takes the command and goes silent.
    const silent = opened(await connectDevice(machine.code, key))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await silent.nextVend()
    await disconnectDevice(silent, machine.id)
    // Its deadline passes while the machine is away.
    await db
      .from('orders')
      .where('id', bought.id)
      .update({
        dispatched_at: dbTimestamp(
          db.connection(),
          DateTime.now().minus({ milliseconds: vendingConfig.vendTimeoutMs + 1000 })
        ),
      })

    const { simulated, vends } = simulator(machine.code, key)
    opened(simulated)
    await simulated.connect()
    await waitUntilOnline(machine.id)
    // A late copy of the command (as a node that missed the deadline would send it).
    const server = await channel()
    server
      .io!.of('/devices')
      .to(`machine:${machine.id}`)
      .emit('vend', await expectedVend(bought.id))

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, VendResult.Expired)
    assert.equal(simulated.results.get(bought.command_id), VendResult.Expired)
    assert.equal(vends(), 0)
    assert.equal(await balanceOf(user.id), 10_000)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
  })

  test('a connection lost mid-vend: it reconnects, reports the result once the link is back, and vends once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { machine, product, key } = await createMachine()
    const { simulated, vends } = simulator(machine.code, key, { vendMs: 100 })
    opened(simulated)
    await simulated.connect()
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const server = await channel()

    const bought = await buyThroughApi(client, token, product, machine)
    await eventually(async () => vends() === 1)
    // The link drops (not a server disconnect): the client reconnects by itself.
    for (const socket of server.io!.of('/devices').sockets.values()) socket.conn.close()
    await waitForMachineStatus(machine.id, MachineStatus.Offline)

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.equal(vends(), 1)
    assert.isTrue(simulated.connected)
  })

  test('connect() rejects a wrong key with invalid_credentials', async ({ assert, cleanup }) => {
    const opened = closeAfter(cleanup)
    const { machine } = await createMachine({ key: 'right-key' })
    const { simulated } = simulator(machine.code, 'wrong-key')
    opened(simulated)

    await assert.rejects(() => simulated.connect(), 'invalid_credentials')
    assert.equal((await Machine.findOrFail(machine.id)).status, MachineStatus.Offline)
  })
})

/**
 * `node ace machine:simulate` as an operator runs it, in a child process
 * with this process's environment (same database) plus `env`.
 */
function simulateCommand(args: string[], env: Record<string, string> = {}) {
  return startProcess('node', ['ace', 'machine:simulate', '--vend-ms', '50', ...args], {
    LOG_LEVEL: 'info',
    ...env,
  })
}

test.group('node ace machine:simulate', (group) => {
  group.each.setup(truncateAll)
  // Each test boots `node ace machine:simulate` (SERVER_BOOT_TIMEOUT_MS).
  group.each.timeout(90_000)

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`stops on ${signal} while it is still retrying an unreachable server`, async ({
      assert,
      cleanup,
    }) => {
      const nobody = await freeTcpPort()
      const command = simulateCommand(['--machine', 'nowhere-1', '--key', 'any-key'], {
        PORT: String(nobody),
        HOST: '127.0.0.1',
      })
      cleanup(async () => {
        await command.stop('SIGKILL')
      })
      await command.waitForOutput(
        new RegExp(`cannot reach http://127\\.0\\.0\\.1:${nobody} .*retrying`),
        SERVER_BOOT_TIMEOUT_MS
      )

      command.child.kill(signal)
      const exited = await Promise.race([
        command.exited.then((code) => ({ code })),
        new Promise((resolve) => setTimeout(resolve, 5000, null)),
      ])

      assert.deepEqual(exited, { code: 0 }, `still running 5 s after ${signal}:\n${command.output}`)
    })
  }

  test('with PORT from the environment it connects to that server, and stops on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    const { machine, key } = await createMachine()
    const command = simulateCommand(['--machine', machine.code, '--key', key], {
      PORT: process.env.PORT!,
      HOST: '0.0.0.0',
    })
    cleanup(async () => {
      await command.stop('SIGKILL')
    })

    await command.waitForOutput(
      new RegExp(`\\[${machine.code}\\] connected as ${machine.code}`),
      SERVER_BOOT_TIMEOUT_MS
    )
    await waitUntilOnline(machine.id)

    assert.equal(await command.stop('SIGTERM'), 0, command.output)
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })

  test('without --url it dials HOST as well as PORT', async ({ assert, cleanup }) => {
    // The test server listens on 127.0.0.1 only: reach it through a relay
    // on another loopback address, where only a client that dials HOST
    // (not a fixed 127.0.0.1) finds it.
    const relay = createServer((inbound) => {
      const outbound = connect(Number(process.env.PORT), '127.0.0.1')
      inbound.pipe(outbound).pipe(inbound)
      inbound.on('error', () => outbound.destroy())
      outbound.on('error', () => inbound.destroy())
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.2', resolve))
    cleanup(() => new Promise<void>((resolve) => relay.close(() => resolve())))
    const relayPort = (relay.address() as AddressInfo).port
    const { machine, key } = await createMachine()
    const command = simulateCommand(['--machine', machine.code, '--key', key], {
      PORT: String(relayPort),
      HOST: '127.0.0.2',
    })
    cleanup(async () => {
      await command.stop('SIGKILL')
    })

    await command.waitForOutput(
      new RegExp(`\\[${machine.code}\\] connected as ${machine.code}`),
      SERVER_BOOT_TIMEOUT_MS
    )
    await waitUntilOnline(machine.id)
    assert.include(command.output, `connecting to http://127.0.0.2:${relayPort} as ${machine.code}`)

    assert.equal(await command.stop('SIGTERM'), 0, command.output)
    await waitForMachineStatus(machine.id, MachineStatus.Offline)
  })
})
