import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

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
export function sqlExpression(client: QueryClientContract, sql: string, bindings: (string | number)[] = []) {
  return client.getWriteClient().raw(sql, bindings)
}
