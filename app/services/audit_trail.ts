import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLog from '#models/audit_log'
import type User from '#models/user'

/**
 * An entry to record. `before`/`after` hold only the fields that matter
 * to a reader (never secrets such as key hashes or passwords).
 */
export interface AuditEntry {
  actor: User | null
  action: string
  subjectType: string
  subjectId?: number | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  note?: string | null
}

/**
 * Records admin actions that change data: who, what, before/after, when,
 * so an operator can answer for every change made in the panel. Pass the
 * action's database transaction so the change and its audit row commit or
 * roll back together.
 *
 * Stateless: actions take it by constructor injection (`@inject()`); code
 * outside the container resolves it with `app.container.make(AuditTrail)`.
 */
export default class AuditTrail {
  /**
   * Writes one audit row (never updated afterwards).
   *
   * @param trx the action's transaction; without it the row is written on
   *   its own
   * @returns the audit row
   */
  async record(entry: AuditEntry, trx?: TransactionClientContract): Promise<AuditLog> {
    return AuditLog.create(
      {
        userId: entry.actor?.id ?? null,
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: entry.subjectId ?? null,
        before: entry.before ?? null,
        after: entry.after ?? null,
        note: entry.note ?? null,
      },
      trx ? { client: trx } : undefined
    )
  }
}
