import { test } from '@japa/runner'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'

/**
 * MAX_TOPUP_PAISE's default (₹1,00,000); .env.test does not change it.
 */
const MAX_TOPUP_PAISE = 10_000_000

test.group('Top-ups', (group) => {
  group.each.setup(truncateAll)

  test('credits the wallet and writes one topup ledger row', async ({ client, assert }) => {
    const { user, token } = await createShopper({ balancePaise: 1500 })

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: 2500 })

    response.assertStatus(201)
    const body = response.body()
    assert.equal(body.id, user.id)
    assert.equal(body.balance_paise, 4000)
    assert.isFalse(body.replayed)
    assert.equal(body.transaction.kind, 'topup')
    assert.equal(body.transaction.amount_paise, 2500)
    assert.equal(body.transaction.balance_after_paise, 4000)

    assert.equal(await balanceOf(user.id), 4000)
    const rows = await ledgerRowsOf(user.id)
    assert.lengthOf(rows, 2)
    assert.deepInclude(rows[1], {
      id: body.transaction.id,
      kind: 'topup',
      amountPaise: 2500,
      balanceAfterPaise: 4000,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('adds up several top-ups', async ({ client, assert }) => {
    const { user, token } = await createShopper()

    for (const amount of [100, 250, 1]) {
      const response = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json({ amount_paise: amount })
      response.assertStatus(201)
    }

    assert.equal(await balanceOf(user.id), 351)
    assert.lengthOf(await ledgerRowsOf(user.id), 3)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('accepts exactly MAX_TOPUP_PAISE', async ({ client, assert }) => {
    const { user, token } = await createShopper()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .bearerToken(token)
      .json({ amount_paise: MAX_TOPUP_PAISE })

    response.assertStatus(201)
    assert.equal(await balanceOf(user.id), MAX_TOPUP_PAISE)
  })

  const invalidAmounts: { title: string; body: Record<string, unknown> }[] = [
    { title: 'a negative amount', body: { amount_paise: -100 } },
    { title: 'a zero amount', body: { amount_paise: 0 } },
    { title: 'a fractional amount (1.5 paise)', body: { amount_paise: 1.5 } },
    { title: 'an amount above MAX_TOPUP_PAISE', body: { amount_paise: MAX_TOPUP_PAISE + 1 } },
    { title: 'a huge amount beyond safe integers', body: { amount_paise: 1e20 } },
    { title: 'a non-numeric string ("abc")', body: { amount_paise: 'abc' } },
    { title: 'a number sent as a string ("100")', body: { amount_paise: '100' } },
    { title: 'a missing amount', body: {} },
    { title: 'a null amount', body: { amount_paise: null } },
    { title: 'a boolean amount', body: { amount_paise: true } },
  ]

  test('refuses {title} with 422 and credits nothing')
    .with(invalidAmounts)
    .run(async ({ client, assert }, { body }) => {
      const { user, token } = await createShopper({ balancePaise: 300 })
      const before = await snapshot()

      const response = await client
        .post(`/api/v1/users/${user.id}/add_balance`)
        .bearerToken(token)
        .json(body)

      assertApiError(response, 422, 'validation_failed', 'amount_paise')
      assert.deepEqual(await snapshot(), before)
    })

  test('refuses a top-up without a token with 401 and credits nothing', async ({
    client,
    assert,
  }) => {
    const { user } = await createShopper()
    const before = await snapshot()

    const response = await client
      .post(`/api/v1/users/${user.id}/add_balance`)
      .json({ amount_paise: 100 })

    assertApiError(response, 401, 'unauthorized')
    assert.deepEqual(await snapshot(), before)
  })
})
