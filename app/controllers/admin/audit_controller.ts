import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'

const PER_PAGE = 25

/**
 * One field of an audit row as the page shows it: `before` is absent
 * (`undefined`) for a created subject, `after` for a deleted one.
 */
export interface AuditChange {
  field: string
  before?: unknown
  after?: unknown
}

/**
 * The fields an audit row changed: on an update only those whose value
 * differs; on a create or delete every recorded field.
 */
export function auditChanges(log: Pick<AuditLog, 'before' | 'after'>): AuditChange[] {
  const before = log.before ?? {}
  const after = log.after ?? {}
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  const changes: AuditChange[] = []
  for (const field of fields) {
    if (log.before && log.after) {
      if (JSON.stringify(before[field] ?? null) === JSON.stringify(after[field] ?? null)) continue
      changes.push({ field, before: before[field] ?? null, after: after[field] ?? null })
    } else if (log.after) {
      changes.push({ field, after: after[field] ?? null })
    } else {
      changes.push({ field, before: before[field] ?? null })
    }
  }
  return changes
}

/**
 * The audit log page: who changed what, when, and how.
 */
export default class AuditController {
  /**
   * GET /admin/audit?subject_type=&action=&page= — newest first. Filters
   * accept only values present in the log, so the selects list exactly
   * what can be found.
   */
  async index({ request, view }: HttpContext) {
    const [subjectTypes, actions] = await Promise.all([
      db
        .from('audit_logs')
        .distinct('subject_type')
        .orderBy('subject_type')
        .then((rows) => rows.map((r) => r.subject_type as string)),
      db
        .from('audit_logs')
        .distinct('action')
        .orderBy('action')
        .then((rows) => rows.map((r) => r.action as string)),
    ])
    const subjectType = subjectTypes.includes(request.input('subject_type'))
      ? (request.input('subject_type') as string)
      : ''
    const action = actions.includes(request.input('action'))
      ? (request.input('action') as string)
      : ''
    const page = Math.max(
      1,
      Math.min(100_000, Number.parseInt(String(request.input('page') ?? '1'), 10) || 1)
    )

    const logs = await AuditLog.query()
      .preload('user')
      .if(subjectType, (query) => query.where('subject_type', subjectType))
      .if(action, (query) => query.where('action', action))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, PER_PAGE)
    logs.baseUrl(router.makeUrl('admin.audit.index')).queryString({
      ...(subjectType ? { subject_type: subjectType } : {}),
      ...(action ? { action } : {}),
    })

    const rows = logs.all().map((log) => ({ log, changes: auditChanges(log) }))
    return view.render('pages/admin/audit/index', {
      title: 'Audit log',
      active: 'audit',
      logs,
      rows,
      subjectTypes,
      actions,
      filters: { subjectType, action },
    })
  }
}
