import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Order from '#models/order'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, snapshot } from '#tests/helpers/api'
import { assertThrottled, withLimit } from '#tests/helpers/limits'
import {
  connectDevice,
  createMachine,
  createOnlineMachine,
  disconnectDevice,
  eventually,
} from '#tests/helpers/device'
import { formKey, postForm } from '#tests/functional/shopper/page_helpers'

async function userCount() {
  const row = await db.from('users').count('* as total').first()
  return Number(row.total)
}

test.group('Rate limits: shopper creation', (group) => {
  group.each.setup(truncateAll)

  test('POST /api/v1/users past the per-IP limit answers 429 with Retry-After and creates nobody', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreation', { requests: 3, duration: '1 hour' })

    for (let i = 0; i < 3; i++) (await client.post('/api/v1/users').json({})).assertStatus(201)
    const before = await userCount()
    const refused = await client.post('/api/v1/users').json({})

    assertThrottled(refused, 3600)
    assert.equal(await userCount(), before)
  })

  test('first visits to a machine page share the counter and get a 429 page, not an account', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'shopperCreation', { requests: 2, duration: '1 hour' })
    const { machine } = await createMachine()

    ;(await client.post('/api/v1/users').json({})).assertStatus(201)
    const visit = await client.get(`/m/${machine.code}`).header('accept', 'text/html').redirects(0)
    visit.assertStatus(200)
    const before = await userCount()

    const refused = await client
      .get(`/m/${machine.code}`)
      .header('accept', 'text/html')
      .redirects(0)

    refused.assertStatus(429)
    assert.isAtLeast(Number(refused.header('retry-after')), 1)
    assert.include(refused.text(), 'Too many requests')
    assert.equal(await userCount(), before)
  })

  test('a limit of 0 turns the limit off', async ({ client, cleanup }) => {
    await withLimit(cleanup, 'shopperCreation', { requests: 0, duration: '1 hour' })
    for (let i = 0; i < 5; i++) (await client.post('/api/v1/users').json({})).assertStatus(201)
  })
})

test.group('Rate limits: buys and top-ups', (group) => {
  group.each.setup(truncateAll)

  test('buys past the per-shopper limit answer 429 and change nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'buy', { requests: 2, duration: '1 minute' })
    const { machine, product, device } = await createOnlineMachine({ quantity: 5 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })
    const buy = () =>
      client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .json({ machine: machine.code })

    ;(await buy()).assertStatus(201)
    ;(await buy()).assertStatus(201)
    const before = await snapshot()
    const refused = await buy()

    assertThrottled(refused, 60)
    assert.deepEqual(await snapshot(), before)
    assert.lengthOf(await Order.query().where('user_id', user.id), 2)

    // The counter is per shopper: another shopper still buys.
    const other = await createShopper({ balancePaise: 10_000 })
    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(other.token)
      .json({ machine: machine.code })
    response.assertStatus(201)
  })

  test('the shopper page form shares the buy counter and gets a flash message, not a raw error', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'buy', { requests: 1, duration: '1 minute' })
    const { machine, product, device } = await createOnlineMachine({ quantity: 5 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user, token } = await createShopper({ balancePaise: 10_000 })

    ;(
      await client
        .post(`/api/v1/products/${product.id}/buy`)
        .bearerToken(token)
        .json({ machine: machine.code })
    ).assertStatus(201)
    const before = await snapshot()
    const refused = await postForm(client, user, `/m/${machine.code}/buy`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })

    refused.assertStatus(302)
    refused.assertHeader('location', `/m/${machine.code}`)
    assert.isAtLeast(Number(refused.header('retry-after')), 1)
    refused.assertFlashMessage('errorCode', 'too_many_requests')
    assert.match(String(refused.flashMessages().error), /Too many requests/)
    assert.deepEqual(await snapshot(), before)
  })

  test('top-ups past the per-shopper limit answer 429 and credit nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'topUp', { requests: 2, duration: '1 minute' })
    const { user, token } = await createShopper()
    const topUp = () =>
      client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: 100 })

    ;(await topUp()).assertStatus(201)
    ;(await topUp()).assertStatus(201)
    const refused = await topUp()

    assertThrottled(refused, 60)
    assert.equal(await balanceOf(user.id), 200)
  })

  test('a shopper page top-up past the limit goes back to the page with a flash message', async ({
    client,
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'topUp', { requests: 1, duration: '1 minute' })
    const { machine } = await createMachine()
    const { user } = await createShopper()

    const first = await postForm(client, user, `/m/${machine.code}/top_up`, {
      amount: '10',
      idempotency_key: formKey(),
    })
    first.assertStatus(302)
    const refused = await postForm(client, user, `/m/${machine.code}/top_up`, {
      amount: '10',
      idempotency_key: formKey(),
    })

    refused.assertStatus(302)
    refused.assertFlashMessage('errorCode', 'too_many_requests')
    assert.equal(await balanceOf(user.id), 1000)
  })
})

test.group('Rate limits: device connects', (group) => {
  group.each.setup(truncateAll)

  test('connects past the per-machine limit are refused with rate_limited, and the device gets back in once the window ends', async ({
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'deviceConnect', { requests: 2, duration: 2 })
    const { machine, key } = await createMachine()
    const startedAt = Date.now()

    for (let i = 0; i < 2; i++) {
      const device = await connectDevice(machine.code, key)
      await disconnectDevice(device, machine.id)
    }
    const error = await connectDevice(machine.code, key).then(
      () => null,
      (refused: Error) => refused
    )
    assert.equal(error?.message, 'rate_limited')

    // What the Arduino library does when refused: retry every 500 ms with
    // no backoff. Those retries must not extend the lock-out.
    const device = await eventually(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500))
      return connectDevice(machine.code, key).catch(() => null)
    }, 6000)
    cleanup(() => disconnectDevice(device, machine.id))
    assert.isBelow(Date.now() - startedAt, 2000 + 1500, 'back within the window plus one retry')
  }).timeout(15_000)

  test('the limit counts per machine: another machine connects meanwhile', async ({
    assert,
    cleanup,
  }) => {
    await withLimit(cleanup, 'deviceConnect', { requests: 1, duration: '1 minute' })
    const first = await createMachine()
    const second = await createMachine()

    const device = await connectDevice(first.machine.code, first.key)
    await disconnectDevice(device, first.machine.id)
    const refused = await connectDevice(first.machine.code, first.key).catch(
      (error: Error) => error
    )
    assert.equal((refused as Error).message, 'rate_limited')

    const other = await connectDevice(second.machine.code, second.key)
    cleanup(() => disconnectDevice(other, second.machine.id))
  })
})
