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
    //
    // A connection left idle in a transaction by an earlier test (its
    // locks held) would block the TRUNCATE for good, and with it every
    // request queued behind those locks until the pool ran dry. So the
    // TRUNCATE waits 5 s for its locks at most (lock_timeout, 55P03); then
    // such connections are named on stderr, ended, and it tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        await connection.transaction(async (trx) => {
          await trx.rawQuery(`SET LOCAL lock_timeout = '5s'`)
          await trx.rawQuery(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`)
        })
        break
      } catch (error) {
        const code = (error as { code?: string }).code
        if (attempt === 3 || (code !== '40P01' && code !== '55P03')) throw error
        if (code === '55P03') await endIdleTransactions()
      }
    }
  } else {
    for (const table of TABLES) await connection.from(table).delete()
  }
  return async () => {
    await truncateAll()
  }
}

/**
 * Ends (pg_terminate_backend) the connections to this PostgreSQL database
 * that sit idle inside a transaction, after printing each one's age and
 * last statement to stderr: a leak to find, which must not hang the rest
 * of the suite meanwhile.
 */
async function endIdleTransactions() {
  const result = await db.connection().rawQuery(
    `select pid, now() - xact_start as age, left(query, 300) as query
       from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
        and state in ('idle in transaction', 'idle in transaction (aborted)')`
  )
  for (const row of result.rows as { pid: number; age: unknown; query: string }[]) {
    process.stderr.write(
      `truncateAll: ending connection ${row.pid}, idle in a transaction for ${JSON.stringify(row.age)}; last statement: ${row.query}\n`
    )
    await db.connection().rawQuery('select pg_terminate_backend(?)', [row.pid])
  }
}
