import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { dbTimestamp } from '#services/db_helpers'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import ResendUnansweredVends from '#actions/vends/resend_unanswered_vends'
import { truncateAll } from '#tests/helpers/database'
import { createMachine, eventually, expectedVend, waitUntilOnline } from '#tests/helpers/device'
import { channel } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { balanceOf } from '#tests/helpers/api'
import { baseUrl } from '#tests/helpers/server'
import { LinkProxy, Twin, closeTwin, makeTestCertificates, requireTwin } from '#tests/helpers/twin'

/**
 * Resolves with the order once it has `status`.
 */
function orderReaches(orderId: number, status: OrderStatus, timeoutMs = 10_000) {
  return eventually(async () => {
    const order = await Order.findOrFail(orderId)
    return order.status === status ? order : null
  }, timeoutMs)
}

function line(text: string) {
  return new RegExp(`^${text}$`)
}

/**
 * The firmware twin (firmware/twin) against the test server: the real
 * sketch, core and arduinoWebSockets, over real sockets, with simulated
 * motors and drop sensor. Slot 1 of each machine holds the product.
 */
test.group('Firmware twin', (group) => {
  requireTwin(group)
  group.each.setup(truncateAll)

  test('a buy through the API reaches the twin through the real library; the order completes and the motor turns once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, key } = await createMachine({ pricePaise: 2500, quantity: 5 })
    const twin = Twin.start({ server: baseUrl(), machine: machine.code, key, dropAfterMs: 300 })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`RESULT ${bought.command_id} dropped`))
    await twin.waitFor(line(`ACKED ${bought.command_id}`))

    await orderReaches(bought.id, OrderStatus.Completed)
    assert.deepEqual(twin.matching(/^MOTOR /), [`MOTOR 1 ON ${bought.command_id}`, 'MOTOR 1 OFF'])
    assert.equal(await balanceOf(user.id), 7500)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 4)
  }).timeout(45_000)

  test('its status reaches the server: the firmware version it was started with and the device health telemetry', async ({
    assert,
    cleanup,
  }) => {
    const { machine, key } = await createMachine()
    const twin = Twin.start({ server: baseUrl(), machine: machine.code, key, version: '1.3.0' })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('BOOT vendora-esp32-1.3.0 power-on'))
    await twin.waitFor(line('JOINED'), 15_000)

    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.firmwareVersion ? current : null
    })
    assert.equal(stored.firmwareVersion, 'vendora-esp32-1.3.0')
    assert.containsSubset(stored.telemetry, {
      firmware: 'vendora-esp32-1.3.0',
      reset_reason: 'power_on',
      reconnects: 0,
      pending_results: 0,
    })
    assert.match(stored.telemetry?.mac ?? '', /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/)
    assert.isAbove(stored.telemetry?.min_free_heap ?? 0, 0)
  }).timeout(45_000)

  test('a beam glitch with no item is no_drop, never dropped: refunded and the unit put back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, key } = await createMachine({ pricePaise: 2500, quantity: 5 })
    const twin = Twin.start({
      server: baseUrl(),
      machine: machine.code,
      key,
      noDrop: true,
      glitchAtMs: 400,
    })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`RESULT ${bought.command_id} no_drop`), 20_000)

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'no_drop')
    assert.deepEqual(twin.matching(/^MOTOR /), [`MOTOR 1 ON ${bought.command_id}`, 'MOTOR 1 OFF'])
    assert.equal(await balanceOf(user.id), 10_000)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
  }).timeout(45_000)

  test('a command that reaches it past its deadline is answered expired without a motor turn: refunded, unit put back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, key } = await createMachine({ pricePaise: 2500, quantity: 5 })
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    // Bought while no device is there, then dispatched long ago: the command is past its deadline.
    await db.from('machines').where('id', machine.id).update({ status: 'online' })
    const bought = await buyThroughApi(client, token, product, machine)
    await db.from('machines').where('id', machine.id).update({ status: 'offline' })
    await db
      .from('orders')
      .where('id', bought.id)
      .update({
        status: OrderStatus.Dispensing,
        dispatched_at: dbTimestamp(
          db.connection(),
          DateTime.now().minus({ milliseconds: vendingConfig.vendTimeoutMs + 1000 })
        ),
      })

    const twin = Twin.start({ server: baseUrl(), machine: machine.code, key, dropAfterMs: 300 })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    // A late copy of the command, as a node that missed the deadline would send it.
    ;(await channel())
      .io!.of('/devices')
      .to(`machine:${machine.id}`)
      .emit('vend', await expectedVend(bought.id))
    await twin.waitFor(line(`RESULT ${bought.command_id} expired`))

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'expired')
    assert.deepEqual(twin.matching(/^MOTOR /), [])
    assert.equal(await balanceOf(user.id), 10_000)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 5)
  }).timeout(45_000)

  test('after every connection is cut without a close handshake, the twin is joined again within 30 s and a buy completes', async ({
    client,
    assert,
    cleanup,
  }) => {
    const proxy = await LinkProxy.start(Number(process.env.PORT))
    cleanup(() => proxy.close())
    const { machine, product, key } = await createMachine({ quantity: 5 })
    const twin = Twin.start({ server: proxy.url, machine: machine.code, key, dropAfterMs: 300 })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)

    proxy.cut()
    await twin.waitFor(line('LINK down'), 30_000)
    await twin.waitFor(line('JOINED'), 30_000, 2)
    assert.isAtLeast(proxy.connections.length, 2, 'the twin connected again through the proxy')
    assert.equal(proxy.open, 1)

    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`RESULT ${bought.command_id} dropped`))
    await orderReaches(bought.id, OrderStatus.Completed)
    assert.deepEqual(twin.matching(/^MOTOR \d+ ON /), [`MOTOR 1 ON ${bought.command_id}`])
  }).timeout(75_000)

  test('a power cut while the motor turns: after the restart the vend is reported interrupted, refunded, and not vended again', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, key } = await createMachine({ pricePaise: 3000, quantity: 5 })
    // Nothing falls: the motor runs its full 5 s, the window for the cut.
    const before = Twin.start({ server: baseUrl(), machine: machine.code, key, noDrop: true })
    cleanup(() => before.stop('SIGKILL').then(() => undefined))
    await before.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await before.waitFor(line(`MOTOR 1 ON ${bought.command_id}`))
    await before.stop('SIGKILL')
    assert.isEmpty(before.matching(/^RESULT /), 'cut before the vend ended')

    const after = Twin.start({
      server: baseUrl(),
      machine: machine.code,
      key,
      stateDir: before.stateDir,
      noDrop: true,
    })
    cleanup(() => closeTwin(after, machine.id))
    await after.waitFor(line(`RESULT ${bought.command_id} interrupted`))
    await after.waitFor(line(`ACKED ${bought.command_id}`), 20_000)

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'interrupted')
    assert.equal(await balanceOf(user.id), 10_000)
    assert.isEmpty(
      after.matching(/^MOTOR /),
      `the motor did not turn after the restart\n${after.describe()}`
    )
  }).timeout(60_000)

  test('the same vend delivered three times turns the motor once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const proxy = await LinkProxy.start(Number(process.env.PORT))
    cleanup(() => proxy.close())
    const { machine, product, key } = await createMachine({ quantity: 5 })
    // The item falls 2 s into the turn: time for the repeats to arrive.
    const twin = Twin.start({ server: proxy.url, machine: machine.code, key, dropAfterMs: 2000 })
    cleanup(() => closeTwin(twin, machine.id))
    await twin.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`MOTOR 1 ON ${bought.command_id}`))
    // Two sweeps that find the vend unanswered for VEND_RESEND_MS: the
    // sweeper's own resend, with its clock moved on instead of waiting.
    const resend = await app.container.make(ResendUnansweredVends)
    const later = DateTime.now().plus({ milliseconds: vendingConfig.vendResendMs + 1000 })
    assert.equal(await resend.handle(later), 1)
    assert.equal(await resend.handle(later), 1)
    await eventually(async () => proxy.vendsSent(bought.command_id) === 3)

    await twin.waitFor(line(`RESULT ${bought.command_id} dropped`))
    await twin.waitFor(line(`ACKED ${bought.command_id}`))
    await orderReaches(bought.id, OrderStatus.Completed)
    assert.equal(proxy.vendsSent(bought.command_id), 3)
    assert.deepEqual(twin.matching(/^MOTOR \d+ ON /), [`MOTOR 1 ON ${bought.command_id}`])
  }).timeout(45_000)

  test('over TLS the twin checks the server certificate against its CA: a buy completes, and a certificate from another CA is refused', async ({
    client,
    assert,
    cleanup,
  }) => {
    const certificates = makeTestCertificates()
    cleanup(() => certificates.remove())
    const proxy = await LinkProxy.start(Number(process.env.PORT), certificates)
    cleanup(() => proxy.close())
    const { machine, product, key } = await createMachine({ quantity: 5 })

    const trusting = Twin.start({
      server: proxy.url,
      machine: machine.code,
      key,
      ca: certificates.caPath,
      dropAfterMs: 300,
    })
    cleanup(() => closeTwin(trusting, machine.id))
    await trusting.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await trusting.waitFor(line(`RESULT ${bought.command_id} dropped`))
    await orderReaches(bought.id, OrderStatus.Completed)
    assert.equal(proxy.tlsFailures, 0)

    const other = await createMachine({ quantity: 5 })
    const doubting = Twin.start({
      server: proxy.url,
      machine: other.machine.code,
      key: other.key,
      ca: certificates.otherCaPath,
    })
    cleanup(() => doubting.close())
    await eventually(async () => proxy.tlsFailures > 0, 15_000)
    assert.isEmpty(doubting.matching(/^(LINK up|JOINED)$/), doubting.describe())
  }).timeout(45_000)
})
