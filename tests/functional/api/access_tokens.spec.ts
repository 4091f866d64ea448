import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { ThrottledAccessTokensProvider } from '#services/access_tokens'
import { DateTime } from 'luxon'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'

/**
 * The token's `last_used_at` as stored, in epoch ms (SQLite keeps the
 * Date the framework wrote as a number, PostgreSQL as a timestamp), or null.
 */
async function lastUsedMs(): Promise<number | null> {
  const row = await db.from('auth_access_tokens').select('last_used_at').firstOrFail()
  const value = row.last_used_at
  if (value === null) return null
  return typeof value === 'number' ? value : new Date(value).getTime()
}

test.group('API tokens: last_used_at', (group) => {
  group.each.setup(truncateAll)

  test('is written on the first use and then at most once a minute', async ({ client, assert }) => {
    const { token } = await createShopper()
    assert.isNull(await lastUsedMs())

    const before = Date.now()
    ;(await client.get('/api/v1/users/me').bearerToken(token)).assertStatus(200)
    const first = await lastUsedMs()
    assert.isNotNull(first)
    assert.isAtLeast(first!, before - 1000)

    // Used again within the minute: authenticated, nothing written.
    ;(await client.get('/api/v1/users/me').bearerToken(token)).assertStatus(200)
    assert.equal(await lastUsedMs(), first)

    // A minute later it moves again.
    const longAgo = DateTime.now().minus({
      milliseconds: ThrottledAccessTokensProvider.LAST_USED_WRITE_MS + 1000,
    })
    // A Date, as the framework writes it.
    await db.from('auth_access_tokens').update({ last_used_at: longAgo.toJSDate() })
    ;(await client.get('/api/v1/users/me').bearerToken(token)).assertStatus(200)
    assert.isAtLeast((await lastUsedMs())!, before - 1000)
  })

  test('a token whose secret does not match is refused and moves nothing', async ({
    client,
    assert,
  }) => {
    const { token } = await createShopper()
    // Same token id, another secret.
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')

    const response = await client.get('/api/v1/users/me').bearerToken(forged)
    response.assertStatus(401)
    assert.isNull(await lastUsedMs())
  })
})
