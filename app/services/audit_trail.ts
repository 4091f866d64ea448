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
 * Records admin actions that change data (issue #4: who, what,
 * before/after, when). Pass the action's database transaction so the
 * change and its audit row commit or roll back together.
 */
export default class AuditTrail {
  static async record(entry: AuditEntry, trx?: TransactionClientContract): Promise<AuditLog> {
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
