import { test } from '@japa/runner'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf } from '#tests/helpers/api'
import { createMachine, eventually } from '#tests/helpers/device'
import { baseUrl } from '#tests/helpers/server'
import { FirmwareDevice, type DeviceFlash } from '#tests/functional/faults/firmware_device'

/**
 * How long the device keeps reconnecting. The issue asks for a minute;
 * CI runs 10 s (`FAULT_RECONNECT_SECONDS` raises it, e.g. to 60).
 */
const STORM_MS = Number(process.env.FAULT_RECONNECT_SECONDS ?? 10) * 1000

/**
 * A new connection every `periodMs`: each one lives `periodMs` and is then
 * dropped, the way flaky Wi-Fi and the Arduino client's 500 ms reconnect
 * make it. All connections share one `flash` (one board), so nothing is
 * vended twice on the device side. Resolves with the last device, still
 * connected, and the shared flash.
 */
async function storm(url: string, machine: string, key: string, periodMs: number, untilMs: number) {
  const flash: DeviceFlash = { results: new Map(), dispensed: [] }
  let device: FirmwareDevice | undefined
  let connections = 0
  while (Date.now() < untilMs) {
    device?.close()
    device = new FirmwareDevice(url, machine, key, { flash })
    connections++
    await new Promise((resolve) => setTimeout(resolve, periodMs))
  }
  return { last: device!, flash, connections }
}

/*
 * Flaky Wi-Fi must not vend twice or lose a sale: a device that reconnects
 * every 500 ms (the Arduino client's fixed retry) while shoppers keep
 * buying. Every order must be vended once on the device and settled once on
 * the server, and presence must follow the last connect and the last
 * disconnect. Runs against the suite's in-process server.
 */
test.group('Faults: a device reconnecting every 500 ms', (group) => {
  group.each.setup(truncateAll)
  group.each.timeout(STORM_MS + 60_000)

  test('keeps buys flowing and settles each vend once', async ({ assert, cleanup }) => {
    const price = 100
    const { machine, product, slot, key } = await createMachine({
      pricePaise: price,
      quantity: 1000,
    })
    const { user, token } = await createShopper({ balancePaise: 1_000_000 })
    const url = baseUrl()

    const until = Date.now() + STORM_MS
    const stormDone = storm(url, machine.code, key, 500, until)
    const statuses: Record<number, number> = {}
    const created: number[] = []
    while (Date.now() < until) {
      const response = await fetch(`${url}/api/v1/products/${product.id}/buy`, {
        method: 'POST',
        headers: {
          'authorization': `Bearer ${token}`,
          'content-type': 'application/json',
          'accept': 'application/json',
        },
        body: JSON.stringify({ machine: machine.code }),
      })
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      const body = (await response.json()) as { order?: { id: number } }
      if (response.status === 201) created.push(body.order!.id)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const { last, flash, connections } = await stormDone
    const { results, dispensed } = flash
    cleanup(() => last.close())
    await last.waitForHello(1)

    // The storm happened: a reconnect every 500 ms, give or take the timer
    // delays of a machine busy with parallel test workers (18 of 20 seen).
    assert.isAtLeast(connections, STORM_MS / 500 / 2)
    // Buys kept flowing: only `machine_offline` refusals are expected
    // besides successes, in the instants between two connections.
    assert.isAbove(created.length, 0, JSON.stringify(statuses))
    assert.deepEqual(
      Object.keys(statuses).filter((status) => !['201', '409'].includes(status)),
      [],
      JSON.stringify(statuses)
    )

    // The last connection gets every unsettled command and settles it.
    await eventually(async () => {
      const open = await Order.query()
        .whereIn('status', [OrderStatus.Pending, OrderStatus.Dispensing])
        .count('* as total')
        .first()
      return Number(open!.$extras.total) === 0
    }, 20_000)
    await eventually(async () => [...results.values()].every((stored) => stored.acked), 10_000)
    await eventually(
      async () => (await Machine.findOrFail(machine.id)).status === MachineStatus.Online
    )

    const orders = await Order.query().orderBy('id')
    assert.sameMembers(
      orders.map((order) => order.id),
      created
    )
    for (const order of orders)
      assert.equal(order.status, OrderStatus.Completed, `order ${order.id}`)
    // The device turned its motor once per order, never more.
    assert.sameMembers(
      [...dispensed],
      orders.map((order) => order.commandId)
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 1000 - created.length)
    assert.equal(await balanceOf(user.id), 1_000_000 - price * created.length)
    const kinds = (await ledgerRowsOf(user.id)).map((row) => row.kind)
    assert.equal(kinds.filter((kind) => kind === 'purchase').length, created.length)
    assert.notInclude(kinds, 'refund')
    assert.deepEqual(await ledgerDiscrepancies(), [])

    // Offline after the last disconnect.
    last.close()
    await eventually(
      async () => (await Machine.findOrFail(machine.id)).status === MachineStatus.Offline
    )
  })
})
