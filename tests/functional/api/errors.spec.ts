import { test } from '@japa/runner'
import User from '#models/user'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'

/**
 * Every route behind the bearer token, with a body that would otherwise be
 * acceptable.
 */
const PROTECTED_ROUTES = [
  { method: 'get', url: '/api/v1/users/me' },
  { method: 'get', url: '/api/v1/users/1/balance' },
  { method: 'post', url: '/api/v1/users/1/add_balance', body: { amount_paise: 100 } },
  { method: 'get', url: '/api/v1/machines' },
  { method: 'get', url: '/api/v1/machines/m-1/products' },
  { method: 'get', url: '/api/v1/products' },
  { method: 'post', url: '/api/v1/products/1/buy', body: { machine: 'm-1' } },
  { method: 'post', url: '/api/v1/products/1/refund', body: { order_id: 1 } },
  { method: 'get', url: '/api/v1/orders' },
  { method: 'get', url: '/api/v1/orders/1' },
] as const

test.group('Errors: authentication', (group) => {
  group.each.setup(truncateAll)

  test('answers 401 without a token on {method} {url}')
    .with([...PROTECTED_ROUTES])
    .run(async ({ client }, route) => {
      const request =
        route.method === 'get'
          ? client.get(route.url)
          : client.post(route.url).json('body' in route ? route.body : {})

      assertApiError(await request, 401, 'unauthorized')
    })

  const badTokens = [
    { title: 'an unknown token', header: 'Bearer vnd_this-is-not-a-real-token' },
    { title: 'a token without its prefix', header: 'Bearer this-is-not-a-real-token' },
    { title: 'an empty bearer', header: 'Bearer ' },
    { title: 'another auth scheme', header: 'Basic dXNlcjpwYXNz' },
  ]

  test('answers 401 for {title}')
    .with(badTokens)
    .run(async ({ client }, { header }) => {
      await createShopper()

      const response = await client.get('/api/v1/users/me').header('Authorization', header)

      assertApiError(response, 401, 'unauthorized')
    })

  test('answers 401 for a real token with one character changed', async ({ client }) => {
    const { token } = await createShopper()
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a')

    const response = await client.get('/api/v1/users/me').bearerToken(tampered)

    assertApiError(response, 401, 'unauthorized')
  })

  test('answers 401 for the token of a deleted account', async ({ client }) => {
    const { user, token } = await createShopper()
    await User.query().where('id', user.id).delete()

    const response = await client.get('/api/v1/users/me').bearerToken(token)

    assertApiError(response, 401, 'unauthorized')
  })

  test('refuses a buy without a token with 401 and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .json({ machine: machine.code })

    assertApiError(response, 401, 'unauthorized')
    assert.deepEqual(await snapshot(), before)
    assert.lengthOf(device.commands, 0)
  })
})

test.group('Errors: malformed requests', (group) => {
  group.each.setup(truncateAll)

  test('refuses a malformed JSON buy with 400 and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const { token } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .type('application/json')
      .unsafeJson(`{"machine": "${machine.code}",`)

    assertApiError(response, 400, 'bad_request')
    assert.deepEqual(await snapshot(), before)
    assert.lengthOf(device.commands, 0)
  })

  test('refuses a malformed JSON top-up with 400 and credits nothing', async ({
    client,
    assert,
  }) => {
    const { user, token } = await createShopper()
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .type('application/json')
      .unsafeJson('{"amount_paise": 100')

    assertApiError(response, 400, 'bad_request')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a JSON body that is not an object with 422', async ({ client, assert }) => {
    const { user, token } = await createShopper()
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .type('application/json')
      .unsafeJson('[100]')

    assertApiError(response, 422, 'validation_failed', 'amount_paise')
    assert.deepEqual(await snapshot(), before)
  })

  test('refuses a body over the 64 KB JSON limit with 413', async ({ client, assert }) => {
    const { user, token } = await createShopper()
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 100, padding: 'x'.repeat(70 * 1024) })

    assertApiError(response, 413, 'payload_too_large')
    assert.deepEqual(await snapshot(), before)
  })

  test('answers an unknown endpoint with a JSON 404', async ({ client }) => {
    const { token } = await createShopper()

    assertApiError(await client.get('/api/v1/nothing-here').bearerToken(token), 404, 'not_found')
    assertApiError(
      await client.get('/api/v1/users/abc/balance').bearerToken(token),
      404,
      'not_found'
    )
    assertApiError(await client.get('/api/v1/products/1/buy').bearerToken(token), 404, 'not_found')
  })

  test('answers JSON even to a client that asks for HTML', async ({ client }) => {
    const { user } = await createShopper()

    const response = await client.get(`/api/v1/users/${user.id}/balance`).accept('text/html')

    assertApiError(response, 401, 'unauthorized')
  })
})
