import db from '@adonisjs/lucid/services/db'

/**
 * Every table the application writes, in an order that respects foreign
 * keys (children first).
 */
export const TABLES = [
  'firmware_rollout_targets',
  'firmware_rollouts',
  'alert_episodes',
  'firmware_releases',
  'user_invitations',
  'audit_logs',
  'device_events',
  'restocks',
  'restock_route_machines',
  'restock_routes',
  'order_feedback',
  'payment_events',
  'transactions',
  'orders',
  'payments',
  'slots',
  'remember_me_tokens',
  'auth_access_tokens',
  'products',
  'machines',
  'users',
]

/**
 * Empties every table, for tests that cannot share one global transaction
 * (socket handlers and concurrent requests use their own connections).
 * Returns itself as the cleanup, so `group.each.setup(truncateAll)` empties
 * before and after each test.
 */
export async function truncateAll(): Promise<() => Promise<void>> {
  const connection = db.connection()
  if (connection.dialect.name === 'postgres') {
    // The test server's own sweeper may be refunding a test's stale order
    // meanwhile; its row locks and TRUNCATE's table locks can deadlock, and
    // PostgreSQL may pick the TRUNCATE to abort (40P01). Then once more.
    for (let attempt = 1; ; attempt++) {
      try {
        await connection.rawQuery(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`)
        break
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt === 3) throw error
      }
    }
  } else {
    for (const table of TABLES) await connection.from(table).delete()
  }
  return async () => {
    await truncateAll()
  }
}
