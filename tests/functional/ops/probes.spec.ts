import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Readiness from '#services/readiness'
import { freeTcpPort } from '#tests/helpers/processes'

/**
 * Swaps the container's Readiness for one with `probes` until the test ends.
 */
function useReadiness(readiness: Readiness, cleanup: (handler: () => void) => void) {
  app.container.swap(Readiness, () => readiness)
  cleanup(() => app.container.restore(Readiness))
}

test.group('Health and readiness', () => {
  test('GET /health answers 200, even while the dependencies /ready checks are down', async ({
    client,
    cleanup,
  }) => {
    useReadiness(
      new Readiness({ database: () => Promise.reject(new Error('down')), redis: null }),
      cleanup
    )

    const health = await client.get('/health')
    const ready = await client.get('/ready')

    health.assertStatus(200)
    health.assertBody({ status: 'ok' })
    ready.assertStatus(503)
  })

  test('GET /ready answers 200 when the database answers and Redis is not configured', async ({
    client,
  }) => {
    const response = await client.get('/ready')

    response.assertStatus(200)
    response.assertBody({ status: 'ready', checks: { database: 'ok', redis: 'not_configured' } })
  })

  test('GET /ready answers 503 naming redis when Redis does not answer (closed port)', async ({
    client,
    assert,
    cleanup,
  }) => {
    const port = await freeTcpPort()
    // What config/redis.ts builds from REDIS_URL, pointed at a port nobody listens on.
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    })
    redis.on('error', () => {})
    cleanup(() => redis.disconnect())
    useReadiness(
      new Readiness({ database: () => db.rawQuery('select 1'), redis: () => redis.ping() }, 300),
      cleanup
    )

    const started = Date.now()
    const response = await client.get('/ready')

    response.assertStatus(503)
    response.assertBody({ status: 'not_ready', checks: { database: 'ok', redis: 'failed' } })
    assert.isBelow(Date.now() - started, 2000, 'the probe timeout bounds the check')
  })

  test('GET /ready answers 503 naming the database when it does not answer in time', async ({
    client,
    cleanup,
  }) => {
    const hanging = () => new Promise(() => {})
    useReadiness(new Readiness({ database: hanging, redis: null }, 200), cleanup)

    const response = await client.get('/ready')

    response.assertStatus(503)
    response.assertBody({
      status: 'not_ready',
      checks: { database: 'failed', redis: 'not_configured' },
    })
  })

  test('GET /ready answers 503 when the database query fails', async ({ client, cleanup }) => {
    useReadiness(
      new Readiness({ database: () => db.rawQuery('select * from no_such_table'), redis: null }),
      cleanup
    )

    const response = await client.get('/ready')

    response.assertStatus(503)
    response.assertBody({
      status: 'not_ready',
      checks: { database: 'failed', redis: 'not_configured' },
    })
  })
})

test.group('Request ids', () => {
  test('echoes a fresh request id in X-Request-Id', async ({ client, assert }) => {
    const first = await client.get('/health')
    const second = await client.get('/health')

    assert.match(String(first.header('x-request-id')), /^[\w.:-]{8,128}$/)
    assert.notEqual(first.header('x-request-id'), second.header('x-request-id'))
  })

  test("keeps a trusted proxy's well-formed X-Request-Id", async ({ client }) => {
    // The test client connects from 127.0.0.1, which config/app.ts trusts (nginx on the host).
    const response = await client
      .get('/health')
      .header('x-request-id', '4f6c0c9e2b7a41d3a1f0e5d6c7b8a9f0')

    response.assertHeader('x-request-id', '4f6c0c9e2b7a41d3a1f0e5d6c7b8a9f0')
  })

  test('replaces the X-Request-Id of a peer that is not a trusted proxy', async ({
    client,
    assert,
    cleanup,
  }) => {
    const trusted = app.config.get('app.http.trustProxy')
    app.config.set('app.http.trustProxy', () => false)
    cleanup(() => app.config.set('app.http.trustProxy', trusted))

    const response = await client
      .get('/health')
      .header('x-request-id', '4f6c0c9e2b7a41d3a1f0e5d6c7b8a9f0')

    assert.notEqual(response.header('x-request-id'), '4f6c0c9e2b7a41d3a1f0e5d6c7b8a9f0')
    assert.match(String(response.header('x-request-id')), /^[0-9a-f-]{36}$/)
  })

  test('replaces a malformed X-Request-Id', async ({ client, assert }) => {
    const response = await client.get('/health').header('x-request-id', 'bad id with spaces')

    assert.notEqual(response.header('x-request-id'), 'bad id with spaces')
    assert.match(String(response.header('x-request-id')), /^[0-9a-f-]{36}$/)
  })
})
