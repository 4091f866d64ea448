import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import Slot from '#models/slot'
import ResendUnansweredVends from '#actions/vends/resend_unanswered_vends'
import { truncateAll } from '#tests/helpers/database'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
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

    const after = Twin.start({ server: baseUrl(), machine: machine.code, key, stateDir: before.stateDir, noDrop: true })
    cleanup(() => closeTwin(after, machine.id))
    await after.waitFor(line(`RESULT ${bought.command_id} interrupted`))
    await after.waitFor(line(`ACKED ${bought.command_id}`), 20_000)

    const order = await orderReaches(bought.id, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'interrupted')
    assert.equal(await balanceOf(user.id), 10_000)
    assert.isEmpty(after.matching(/^MOTOR /), `the motor did not turn after the restart\n${after.describe()}`)
  }).timeout(60_000)

  test('the same vend delivered three times turns the motor once', async ({ client, assert, cleanup }) => {
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

    const trusting = Twin.start({ server: proxy.url, machine: machine.code, key, ca: certificates.caPath, dropAfterMs: 300 })
    cleanup(() => closeTwin(trusting, machine.id))
    await trusting.waitFor(line('JOINED'), 15_000)
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await trusting.waitFor(line(`RESULT ${bought.command_id} dropped`))
    await orderReaches(bought.id, OrderStatus.Completed)
    assert.equal(proxy.tlsFailures, 0)

    const other = await createMachine({ quantity: 5 })
    const doubting = Twin.start({ server: proxy.url, machine: other.machine.code, key: other.key, ca: certificates.otherCaPath })
    cleanup(() => doubting.close())
    await eventually(async () => proxy.tlsFailures > 0, 15_000)
    assert.isEmpty(doubting.matching(/^(LINK up|JOINED)$/), doubting.describe())
  }).timeout(45_000)
})
