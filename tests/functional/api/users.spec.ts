import { test } from '@japa/runner'
import User from '#models/user'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { assertApiError, ledgerRowsOf, snapshot } from '#tests/helpers/api'

test.group('Users: sign-up and balance', (group) => {
  group.each.setup(truncateAll)

  test('creates an anonymous shopper with a zero balance and a working token', async ({
    client,
    assert,
  }) => {
    const created = await client.post('/api/v1/users')

    created.assertStatus(201)
    const { id, username, token } = created.body()
    assert.sameMembers(Object.keys(created.body()), ['id', 'username', 'token'])
    assert.match(token, /^vnd_/)

    const me = await client.get('/api/v1/users/me').bearerToken(token)
    me.assertStatus(200)
    me.assertBody({ id, username, balance_paise: 0 })

    const user = await User.findOrFail(id)
    assert.equal(user.role, 'user')
    assert.isNull(user.email)
    assert.lengthOf(await ledgerRowsOf(id), 0)
  })

  test('gives every new shopper a different name and token', async ({ client, assert }) => {
    const first = (await client.post('/api/v1/users')).body()
    const second = (await client.post('/api/v1/users')).body()

    assert.notEqual(first.id, second.id)
    assert.notEqual(first.username, second.username)
    assert.notEqual(first.token, second.token)
    const me = await client.get('/api/v1/users/me').bearerToken(second.token)
    assert.equal(me.body().id, second.id)
  })

  test('shows a shopper their own balance', async ({ client }) => {
    const { user, token } = await createShopper({ balancePaise: 4200 })

    const response = await client.get(`/api/v1/users/${user.id}/balance`).bearerToken(token)

    response.assertStatus(200)
    response.assertBody({ id: user.id, username: user.username, balance_paise: 4200 })
  })

  test("refuses to show someone else's balance with 403", async ({ client }) => {
    const { token } = await createShopper()
    const other = await createShopper({ balancePaise: 9900 })

    const response = await client.get(`/api/v1/users/${other.user.id}/balance`).bearerToken(token)

    assertApiError(response, 403, 'forbidden')
  })

  test('answers 404 for the balance of a user that does not exist', async ({ client }) => {
    const { user, token } = await createShopper()

    const response = await client.get(`/api/v1/users/${user.id + 1000}/balance`).bearerToken(token)

    assertApiError(response, 404, 'not_found')
  })

  test("refuses to top up someone else's wallet with 403 and credits nothing", async ({
    client,
    assert,
  }) => {
    const { token } = await createShopper({ balancePaise: 1000 })
    const other = await createShopper({ balancePaise: 500 })
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${other.user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 10000 })

    assertApiError(response, 403, 'forbidden')
    assert.deepEqual(await snapshot(), before)
  })

  test("lets an admin look at a shopper's balance but not top it up", async ({
    client,
    assert,
  }) => {
    const admin = await createShopper({ admin: true })
    const shopper = await createShopper({ balancePaise: 700 })
    const before = await snapshot()

    const seen = await client
      .get(`/api/v1/users/${shopper.user.id}/balance`)
      .bearerToken(admin.token)
    seen.assertStatus(200)
    assert.equal(seen.body().balance_paise, 700)

    const topUp = await client
      .post(`/api/v1/users/${shopper.user.id}/add_balance`)
      .bearerToken(admin.token)
      .json({ amount_paise: 100 })
    assertApiError(topUp, 403, 'forbidden')
    assert.deepEqual(await snapshot(), before)
  })
})
