import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/**
 * Formats a time the way Lucid stores `column.dateTime` values on this
 * client's dialect, for raw query-builder updates that bypass the model.
 */
export function dbTimestamp(client: QueryClientContract, at: DateTime = DateTime.now()): string {
  return at.toFormat(client.dialect.dateTimeFormat)
}

/**
 * Rows touched by an UPDATE or DELETE: knex answers a number on SQLite and
 * PostgreSQL, and Lucid may wrap it in an array.
 */
export function affectedRows(result: unknown): number {
  if (typeof result === 'number') return result
  if (Array.isArray(result)) {
    return result.length === 1 && typeof result[0] === 'number' ? result[0] : result.length
  }
  return 0
}

/**
 * Whether a database error is a unique-constraint violation (SQLite and
 * PostgreSQL), used where a unique index settles a race.
 */
export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; errno?: number; message?: string }
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    (err?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(err.message ?? ''))
  )
}

/**
 * A SQL expression for an UPDATE's value (e.g. `quantity - 1`), evaluated by
 * the database so the change is atomic. Lucid's query builder passes knex
 * raw values through untouched.
 */
export function sqlExpression(
  client: QueryClientContract,
  sql: string,
  bindings: (string | number)[] = []
) {
  return client.getWriteClient().raw(sql, bindings)
}

/**
 * Reads row `id` of `model` inside a transaction, row-locked with
 * `FOR UPDATE` on PostgreSQL (SQLite serializes writers already), so what a
 * decision is based on cannot change until the transaction ends.
 *
 * @throws E_ROW_NOT_FOUND when there is no such row
 */
export function lockRowForUpdate<Model extends LucidModel>(
  model: Model,
  trx: TransactionClientContract,
  id: number
): Promise<InstanceType<Model>> {
  return model
    .query({ client: trx })
    .where('id', id)
    .if(trx.dialect.name === 'postgres', (query) => query.forUpdate())
    .firstOrFail()
}

/**
 * Serializes the transactions that lock the same `name` (e.g.
 * `payment_hold:ip:1.2.3.4`) until each commits or rolls back, for a
 * decision no row lock can guard: a count of rows followed by an insert
 * (two racing inserts would both see the old count). PostgreSQL: a
 * transaction-level advisory lock on a 64-bit hash of `name` (two names
 * sharing a hash only wait for each other). SQLite: nothing to do, one
 * connection runs one transaction at a time (config/database.ts).
 */
export async function lockNameWithin(trx: TransactionClientContract, name: string): Promise<void> {
  if (trx.dialect.name !== 'postgres') return
  const key = createHash('sha256').update(name).digest().readBigInt64BE(0)
  await trx.rawQuery('select pg_advisory_xact_lock(?::bigint)', [key.toString()])
}

/**
 * `%…%` for a case-insensitive `lower(column) like ? escape '\'`, with the
 * user's own `%`, `_` and `\` matched literally.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
