import db from '@adonisjs/lucid/services/db'

/**
 * Tables in an order that respects foreign keys (children first).
 */
const TABLES = ['alert_episodes', 'audit_logs', 'device_events', 'restocks', 'payment_events', 'transactions', 'orders', 'payments', 'slots', 'remember_me_tokens', 'auth_access_tokens', 'products', 'machines', 'users']

/**
 * Empties every table, for tests that cannot share one global transaction
 * (socket handlers and concurrent requests use their own connections).
 * Returns itself as the cleanup, so `group.each.setup(truncateAll)` empties
 * before and after each test.
 */
export async function truncateAll(): Promise<() => Promise<void>> {
  const connection = db.connection()
  if (connection.dialect.name === 'postgres') {
    await connection.rawQuery(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`)
  } else {
    for (const table of TABLES) await connection.from(table).delete()
  }
  return async () => {
    await truncateAll()
  }
}
