import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { TABLES } from '#tests/helpers/database'

/*
 * Runs after the other action specs (files run in name order): each of
 * them rolls its global transaction back (or truncates), so nothing they
 * wrote may be left, not even a write queued after an action returned
 * (a vend's monitor row) that landed after a rollback.
 */
test.group('Action specs', () => {
  test('leave no row behind', async ({ assert }) => {
    for (const table of TABLES) {
      const row = await db.from(table).count('* as total').first()
      assert.equal(Number(row.total), 0, `${table} has rows left`)
    }
  })
})
