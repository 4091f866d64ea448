import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import DeviceChannel from '#services/device_channel'
import Metrics, { orderCountsByStatus } from '#services/metrics'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'
import { sample } from '#tests/helpers/prometheus'

async function scrape(client: ApiClient): Promise<string> {
  const response = await client.get('/metrics')
  response.assertStatus(200)
  return response.text()
}

test.group('Metrics', (group) => {
  group.each.setup(truncateAll)

  test('serves the Prometheus text format with every Vendora metric and the process metrics', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/metrics')

    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
    const text = response.text()
    for (const [name, type] of [
      ['http_request_duration_seconds', 'histogram'],
      ['vendora_vends_total', 'counter'],
      ['vendora_vend_latency_seconds', 'histogram'],
      ['vendora_devices_connected', 'gauge'],
      ['vendora_orders', 'gauge'],
      ['vendora_refunds_total', 'counter'],
      ['process_cpu_seconds_total', 'counter'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
    ]) {
      assert.include(text, `# TYPE ${name} ${type}\n`, name)
    }
    for (const status of Object.values(OrderStatus)) {
      assert.match(text, new RegExp(`^vendora_orders\\{status="${status}"\\} \\d+$`, 'm'), status)
    }
  })

  test('counts a dropped vend and observes its latency from dispatch', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await scrape(client)

    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    bought.assertStatus(201)
    const command = await device.nextVend()
    assert.deepEqual(await device.report(command.command_id, 'dropped'), { ok: true })
    await eventually(
      async () => (await Order.find(command.order_id))?.status === OrderStatus.Completed
    )
    const after = await scrape(client)

    const dropped = { result: 'dropped' }
    assert.equal(
      sample(after, 'vendora_vends_total', dropped),
      sample(before, 'vendora_vends_total', dropped) + 1
    )
    assert.equal(
      sample(after, 'vendora_vend_latency_seconds_count', dropped),
      sample(before, 'vendora_vend_latency_seconds_count', dropped) + 1
    )
    const latency =
      sample(after, 'vendora_vend_latency_seconds_sum', dropped) -
      sample(before, 'vendora_vend_latency_seconds_sum', dropped)
    assert.isAtLeast(latency, 0)
    assert.isBelow(latency, 10)
    assert.equal(
      sample(after, 'vendora_refunds_total', { to: 'wallet' }),
      sample(before, 'vendora_refunds_total', { to: 'wallet' })
    )
  })

  test('counts a jammed vend and its refund to the wallet', async ({ client, assert, cleanup }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await scrape(client)

    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    bought.assertStatus(201)
    const command = await device.nextVend()
    await device.report(command.command_id, 'jam')
    await eventually(
      async () => (await Order.find(command.order_id))?.status === OrderStatus.Refunded
    )
    const after = await scrape(client)

    assert.equal(
      sample(after, 'vendora_vends_total', { result: 'jam' }),
      sample(before, 'vendora_vends_total', { result: 'jam' }) + 1
    )
    assert.equal(
      sample(after, 'vendora_refunds_total', { to: 'wallet' }),
      sample(before, 'vendora_refunds_total', { to: 'wallet' }) + 1
    )
    assert.equal(
      sample(after, 'vendora_vends_total', { result: 'dropped' }),
      sample(before, 'vendora_vends_total', { result: 'dropped' })
    )
  })

  test("reports this process's connected devices", async ({ client, assert, cleanup }) => {
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const channel = await app.container.make(DeviceChannel)

    const text = await scrape(client)

    assert.isAtLeast(channel.connectedCount, 1)
    assert.equal(sample(text, 'vendora_devices_connected'), channel.connectedCount)
  })

  test('counts orders by status from the database, cached for a few seconds', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const buy = () =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .json({ machine: machine.code })
    ;(await buy()).assertStatus(201)
    ;(await buy()).assertStatus(201)
    // A fresh instance: the app's own may hold a count cached by an earlier test.
    const metrics = new Metrics({ devicesConnected: () => 0, orderCounts: orderCountsByStatus })

    const first = (await metrics.scrape()).body
    ;(await buy()).assertStatus(201)
    const cached = (await metrics.scrape()).body

    assert.equal(sample(first, 'vendora_orders', { status: 'dispensing' }), 2)
    assert.equal(sample(first, 'vendora_orders', { status: 'completed' }), 0)
    assert.equal(
      sample(cached, 'vendora_orders', { status: 'dispensing' }),
      2,
      'within the cache period'
    )
    assert.lengthOf(await Order.query().where('status', OrderStatus.Dispensing), 3)
  })

  test('labels request latency with the route pattern, never the URL', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    const orderId = bought.body().order.id
    const pattern = { method: 'GET', route: '/api/v1/orders/:id', status_code: '200' }
    const before = await scrape(client)

    ;(await client.get(`/api/v1/orders/${orderId}`).bearerToken(token)).assertStatus(200)
    ;(await client.get(`/no-such-page-${orderId}`)).assertStatus(404)
    const after = await scrape(client)

    assert.equal(
      sample(after, 'http_request_duration_seconds_count', pattern),
      sample(before, 'http_request_duration_seconds_count', pattern) + 1
    )
    assert.isAbove(
      sample(after, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
      0
    )
    assert.notInclude(after, `/api/v1/orders/${orderId}"`)
    assert.notInclude(after, `no-such-page-${orderId}`)
  })
})

test.group('Metrics token', (group) => {
  group.each.setup(() => {
    app.config.set('metrics.token', 'scrape-secret-0123456789')
    return () => app.config.set('metrics.token', null)
  })

  test('refuses a scrape without the token, or with a wrong one, with 401', async ({
    client,
    assert,
  }) => {
    const missing = await client.get('/metrics')
    const wrong = await client.get('/metrics').bearerToken('scrape-secret-9876543210')
    const basic = await client
      .get('/metrics')
      .header('authorization', 'Basic scrape-secret-0123456789')

    for (const response of [missing, wrong, basic]) {
      response.assertStatus(401)
      assert.equal(response.body().errors[0].code, 'unauthorized')
      assert.notInclude(response.text(), 'vendora_')
    }
    missing.assertHeader('www-authenticate', 'Bearer realm="metrics"')
  })

  test('serves the scrape with the token', async ({ client, assert }) => {
    const response = await client.get('/metrics').bearerToken('scrape-secret-0123456789')

    response.assertStatus(200)
    assert.include(response.text(), '# TYPE vendora_vends_total counter')
  })

  test('leaves /health and /ready open', async ({ client }) => {
    ;(await client.get('/health')).assertStatus(200)
    ;(await client.get('/ready')).assertStatus(200)
  })
})
