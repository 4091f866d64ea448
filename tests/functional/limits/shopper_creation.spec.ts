import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { shopperCreationDefaults } from '#config/limiter'
import { truncateAll } from '#tests/helpers/database'
import { createMachine } from '#tests/helpers/device'
import { assertThrottled, Visitor, withLimit } from '#tests/helpers/limits'

async function userCount() {
  const row = await db.from('users').count('* as total').first()
  return Number(row.total)
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * One new shopper from client address `ip`, alternately by the API and by
 * a first visit to the machine's page (both count against the same
 * limits): the HTTP status it got and, when refused, its `Retry-After`.
 */
async function newShopper(client: ApiClient, ip: string, machineCode: string, viaPage: boolean) {
  if (viaPage) {
    const response = await new Visitor(ip).visit(`/m/${machineCode}`)
    return { status: response.status, retryAfter: response.headers.get('retry-after') }
  }
  const response = await client.post('/api/v1/users').header('x-forwarded-for', ip).json({})
  return {
    status: response.status(),
    retryAfter: response.header('retry-after') as string | undefined,
  }
}

/*
 * Shopper creation per client address (config/limiter.ts): a burst limit
 * per minute and a cap per hour, sized for a campus behind one NAT
 * address. A test cannot wait an hour, so where time matters the windows
 * are scaled down (one "minute" lasts `MINUTE` seconds, an "hour" 60 of
 * them) and the request counts are the defaults or keep their ratio: a
 * fixed-window counter does the same arithmetic at any scale.
 */
test.group('Rate limits: shopper creation per address', (group) => {
  group.each.setup(truncateAll)

  test('serves a lunch rush of 300 new shoppers from one address over ten minutes with the default limits', async ({
    client,
    assert,
    cleanup,
  }) => {
    const MINUTE = 2
    await withLimit(cleanup, 'shopperCreationBurst', {
      requests: shopperCreationDefaults.perMinute,
      duration: MINUTE,
    })
    await withLimit(cleanup, 'shopperCreation', {
      requests: shopperCreationDefaults.perHour,
      duration: 60 * MINUTE,
    })
    const { machine } = await createMachine()
    // New shoppers per minute: a ramp to a peak of 50 (the average is 30).
    const rush = [15, 25, 40, 50, 45, 40, 30, 25, 20, 10]
    assert.equal(
      rush.reduce((sum, n) => sum + n, 0),
      300
    )

    // Each minute's arrivals spread over it, each sent at its time without
    // waiting for the ones before (people do not queue for the network):
    // the limiter's windows fall wherever its first request opens them.
    const started = Date.now()
    const arrivals: Promise<{ status: number }>[] = []
    rush.forEach((count, minute) => {
      for (let i = 0; i < count; i++) {
        const at = (minute + i / count) * MINUTE * 1000
        const index = arrivals.length
        arrivals.push(
          sleep(at - (Date.now() - started)).then(() =>
            newShopper(client, '203.0.113.50', machine.code, index % 2 === 1)
          )
        )
      }
    })
    const results = await Promise.all(arrivals)

    const refused = results.filter((result) => result.status !== 201 && result.status !== 200)
    assert.lengthOf(refused, 0, `refused: ${JSON.stringify(refused.slice(0, 3))}`)
    assert.equal(await userCount(), 300)
    // Every one of them was counted: the limits were on, not bypassed.
    const hourly = await limiter
      .use({ requests: shopperCreationDefaults.perHour, duration: 60 * MINUTE })
      .get('shopper_creation_ip_203.0.113.50')
    assert.equal(hourly?.consumed, 300)
  }).timeout(60_000)

  test('stops a script creating shoppers as fast as it can at the per-minute limit, with 429 and Retry-After', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreationBurst', {
      requests: shopperCreationDefaults.perMinute,
      duration: '1 minute',
    })
    await withLimit(cleanup, 'shopperCreation', {
      requests: shopperCreationDefaults.perHour,
      duration: '1 hour',
    })
    const { machine } = await createMachine()

    // A thousand requests, 50 at a time: a few seconds, well within the minute.
    const results: { status: number; retryAfter?: string | null }[] = []
    for (let batch = 0; batch < 20; batch++) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            newShopper(client, '203.0.113.66', machine.code, i % 2 === 1)
          )
        ))
      )
    }

    const created = results.filter((result) => result.status === 201 || result.status === 200)
    assert.lengthOf(created, shopperCreationDefaults.perMinute)
    assert.equal(await userCount(), shopperCreationDefaults.perMinute)
    const refused = results.filter((result) => result.status === 429)
    assert.lengthOf(refused, 1000 - shopperCreationDefaults.perMinute)
    for (const { retryAfter } of refused) {
      assert.isTrue(
        Number.isInteger(Number(retryAfter)) && Number(retryAfter) >= 1 && Number(retryAfter) <= 60,
        `Retry-After ${retryAfter}`
      )
    }
    // The API's answer in full.
    assertThrottled(
      await client.post('/api/v1/users').header('x-forwarded-for', '203.0.113.66').json({}),
      60
    )
    // Another address is counted apart.
    ;(
      await client.post('/api/v1/users').header('x-forwarded-for', '203.0.113.67').json({})
    ).assertStatus(201)
  }).timeout(60_000)

  test('holds a script that keeps just under the per-minute limit to the hourly cap', async ({
    client,
    assert,
    cleanup,
  }) => {
    // The defaults' ratios: an hour's cap is ten minutes at the burst limit.
    const MINUTE = 1
    const perMinute = 12
    const perHour =
      (perMinute * shopperCreationDefaults.perHour) / shopperCreationDefaults.perMinute
    await withLimit(cleanup, 'shopperCreationBurst', { requests: perMinute, duration: MINUTE })
    await withLimit(cleanup, 'shopperCreation', { requests: perHour, duration: 60 * MINUTE })
    const { machine } = await createMachine()
    const minutes = perHour / perMinute

    for (let minute = 0; minute < minutes; minute++) {
      const results = await Promise.all(
        Array.from({ length: perMinute }, (_, i) =>
          newShopper(client, '203.0.113.77', machine.code, i % 2 === 1)
        )
      )
      assert.deepEqual(
        results.filter((result) => result.status === 429),
        [],
        `minute ${minute + 1}`
      )
      // Until this minute's window has ended. It opened when the server took
      // the first request, which may be well after the client sent it on a
      // busy machine, but always before the last answer came back.
      await sleep(MINUTE * 1000 + 100)
    }

    const refused = await client
      .post('/api/v1/users')
      .header('x-forwarded-for', '203.0.113.77')
      .json({})

    assertThrottled(refused, 60 * MINUTE)
    assert.isAbove(
      Number(refused.header('retry-after')),
      MINUTE,
      "the hour's window, not the minute's"
    )
    assert.equal(await userCount(), perHour)
  }).timeout(60_000)
})

test.group('Rate limits: returning shoppers', (group) => {
  group.each.setup(truncateAll)

  test('a shopper coming back to /m/:code with their session cookie is never counted again', async ({
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreationBurst', { requests: 2, duration: '1 minute' })
    await withLimit(cleanup, 'shopperCreation', { requests: 2, duration: '1 hour' })
    const { machine } = await createMachine()
    const regular = new Visitor('198.51.100.20')

    assert.equal((await regular.visit(`/m/${machine.code}`)).status, 200)
    assert.equal(await userCount(), 1)
    for (let i = 0; i < 5; i++)
      assert.equal((await regular.visit(`/m/${machine.code}`)).status, 200)
    assert.equal(await userCount(), 1, 'the same shopper every time')

    // One creation of two is left for the address: the five visits did not count.
    assert.equal((await new Visitor('198.51.100.20').visit(`/m/${machine.code}`)).status, 200)
    assert.equal((await new Visitor('198.51.100.20').visit(`/m/${machine.code}`)).status, 429)
    assert.equal(await userCount(), 2)
  })

  test('a shopper whose session ended comes back on the remember-me cookie, uncounted', async ({
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreationBurst', { requests: 1, duration: '1 minute' })
    await withLimit(cleanup, 'shopperCreation', { requests: 1, duration: '1 hour' })
    const { machine } = await createMachine()
    const regular = new Visitor('198.51.100.21')
    assert.equal((await regular.visit(`/m/${machine.code}`)).status, 200)
    assert.isTrue(regular.cookies.has('remember_shopper'))

    for (let i = 0; i < 3; i++) {
      regular.forget('vendora-session')
      assert.equal((await regular.visit(`/m/${machine.code}`)).status, 200)
    }

    assert.equal(await userCount(), 1)
    assert.equal(
      (await new Visitor('198.51.100.21').visit(`/m/${machine.code}`)).status,
      429,
      'the one creation was the first visit'
    )
  })

  test('a shopper using the API with a valid bearer token is never counted', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreationBurst', { requests: 1, duration: '1 minute' })
    await withLimit(cleanup, 'shopperCreation', { requests: 1, duration: '1 hour' })
    const { machine } = await createMachine()
    const created = await client
      .post('/api/v1/users')
      .header('x-forwarded-for', '198.51.100.22')
      .json({})
    created.assertStatus(201)
    const { token } = created.body()

    for (let i = 0; i < 5; i++) {
      ;(
        await client
          .get('/api/v1/users/me')
          .header('x-forwarded-for', '198.51.100.22')
          .bearerToken(token)
      ).assertStatus(200)
      ;(
        await client
          .get(`/api/v1/machines/${machine.code}/products`)
          .header('x-forwarded-for', '198.51.100.22')
          .bearerToken(token)
      ).assertStatus(200)
    }

    // Asking for a shopper again with that token answers the same shopper.
    const again = await client
      .post('/api/v1/users')
      .header('x-forwarded-for', '198.51.100.22')
      .bearerToken(token)
      .json({})
    again.assertStatus(200)
    again.assertBody({ id: created.body().id, username: created.body().username, token })

    assert.equal(await userCount(), 1)
    const refused = await client
      .post('/api/v1/users')
      .header('x-forwarded-for', '198.51.100.22')
      .json({})
    refused.assertStatus(429)
  })
})
