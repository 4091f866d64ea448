import { request as httpRequest } from 'node:http'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import User from '#models/user'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { ledgerDiscrepancies } from '#tests/helpers/api'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import { baseUrl } from '#tests/helpers/server'
import { UserFactory } from '#database/factories/user_factory'
import { FirmwareDevice } from '#tests/functional/faults/firmware_device'

/**
 * POSTs `payload` as JSON with a bearer token on a connection of its own
 * (`agent: false`: `Connection: close`, no pool), as 1,000 phones would:
 * no request can land on a kept-alive socket an earlier test left in
 * `fetch`'s shared pool after the server closed it, and no client-side
 * connect timeout runs while the burst waits in the listen queue.
 */
function postOnNewConnection(
  url: string,
  token: string,
  payload: unknown
): Promise<{ status: number; body: string }> {
  const data = JSON.stringify(payload)
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        'authorization': `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(data),
        'accept': 'application/json',
      },
    })
    request.once('error', reject)
    request.once('response', (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('error', reject)
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
      )
    })
    request.end(data)
  })
}

const SHOPPERS = 1000
const SHORT = 100
const UNITS = 100
const PRICE = 2500

/*
 * Stock and balances must hold under a rush: 1,000 shoppers buy at the same
 * instant from one machine that holds 100 units. 900 can pay for one item,
 * 100 are 1 paisa short. Every request is in flight at once against the
 * suite's server, so the single slot row is the hottest row there is.
 */
test.group('Faults: 1,000 shoppers at once', (group) => {
  group.each.setup(truncateAll)
  group.each.timeout(120_000)

  test('sells exactly the 100 units, refuses the rest and keeps the books exact', async ({
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, key } = await createMachine({
      pricePaise: PRICE,
      quantity: UNITS,
    })
    const device = new FirmwareDevice(baseUrl(), machine.code, key)
    // Offline is written after the disconnect's monitor row: waiting for it
    // keeps that row from landing after the tables are emptied.
    cleanup(async () => {
      device.close()
      await eventually(
        async () => (await Machine.findOrFail(machine.id)).status === MachineStatus.Offline,
        60_000
      )
    })
    await device.waitForHello()
    await waitUntilOnline(machine.id)

    const shoppers = await Promise.all(
      Array.from({ length: SHOPPERS }, async (_, index) => {
        const balance = index < SHORT ? PRICE - 1 : PRICE
        const user = await UserFactory.merge({ balancePaise: balance }).create()
        const token = await User.accessTokens.create(user, ['*'], { name: 'rush' })
        return { user, token: token.value!.release(), short: index < SHORT }
      })
    )

    const started = performance.now()
    const statuses = await Promise.all(
      shoppers.map(async (shopper) => {
        const response = await postOnNewConnection(
          `${baseUrl()}/api/v1/products/${product.id}/buy`,
          shopper.token,
          { machine: machine.code }
        )
        const body = JSON.parse(response.body) as { errors?: { code: string }[] }
        return { shopper, status: response.status, code: body.errors?.[0]?.code }
      })
    )
    const elapsedMs = Math.round(performance.now() - started)

    const count = (filter: (entry: (typeof statuses)[number]) => boolean) =>
      statuses.filter(filter).length
    const sold = count((entry) => entry.status === 201)
    const outOfStock = count((entry) => entry.status === 409 && entry.code === 'out_of_stock')
    const short = count((entry) => entry.status === 402 && entry.code === 'insufficient_balance')
    console.log(
      `  1,000 simultaneous buys answered in ${elapsedMs} ms: ${sold} sold, ${outOfStock} out_of_stock, ${short} insufficient_balance`
    )

    assert.equal(sold, UNITS)
    assert.equal(
      sold + outOfStock + short,
      SHOPPERS,
      JSON.stringify(
        statuses.filter((entry) => ![201, 402, 409].includes(entry.status)).slice(0, 3)
      )
    )
    assert.equal(
      count((entry) => entry.shopper.short && entry.status === 201),
      0
    )
    assert.equal(
      count((entry) => !entry.shopper.short && entry.status === 402),
      0
    )
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 0)

    // Every order is vended once and completed. Waited for on the server's
    // side: the device's acks trail behind (each waits for the machine's
    // queued monitor writes, which a burst on one machine makes long).
    await eventually(async () => {
      const [{ open }] = await db
        .from('orders')
        .whereNot('status', OrderStatus.Completed)
        .count('* as open')
      return device.dispensed.length === UNITS && Number(open) === 0
    }, 60_000).catch(async (error) => {
      const byStatus = await db
        .from('orders')
        .groupBy('status')
        .select('status')
        .count('* as total')
      throw new Error(
        `${error.message}: ${device.received.length} vend frames, ${device.dispensed.length} dispensed, orders ${JSON.stringify(byStatus)}`
      )
    })
    const acked = [...device.results.values()].filter((stored) => stored.acked).length
    console.log(
      `  all ${UNITS} orders completed; ${acked} of the device's results acked so far, refused acks ${JSON.stringify(device.refusedAcks)}`
    )
    assert.deepEqual(device.refusedAcks, {})
    const orders = await Order.query()
    assert.lengthOf(orders, UNITS)
    for (const order of orders) assert.equal(order.status, OrderStatus.Completed)
    assert.sameMembers(
      device.dispensed,
      orders.map((order) => order.commandId)
    )
    assert.equal(new Set(orders.map((order) => order.userId)).size, UNITS)

    const [{ total }] = await db.from('transactions').where('kind', 'purchase').count('* as total')
    assert.equal(Number(total), UNITS)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})
