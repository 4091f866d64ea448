import { createHash } from 'node:crypto'
import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Webhooks may only move a card refund forward, and only once per signed
 * body:
 *
 * - `payments.refund_event_at`: when Razorpay created the webhook event
 *   that set the current `refund_status` (the signed body's `created_at`);
 *   an older event is ignored. Null when our own refund call set it.
 * - `payment_events.body_sha256`: SHA-256 (hex) of the raw, signed body,
 *   unique. The `X-Razorpay-Event-Id` header is not covered by the
 *   signature, so a replayed body under a new event id must still be
 *   recognised as the event it is. Stored events get theirs here; where
 *   several stored rows share one body (replays stored before), the first
 *   keeps it and the others stay null (nulls do not collide).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('payments', (table) => {
      table.timestamp('refund_event_at').nullable()
    })
    this.schema.alterTable('payment_events', (table) => {
      table.string('body_sha256', 64).nullable().unique()
    })

    this.defer(async (db) => {
      const seen = new Set<string>()
      let lastId = 0
      for (;;) {
        const rows = await db
          .from('payment_events')
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(500)
          .select('id', 'payload')
        if (rows.length === 0) break
        for (const row of rows) {
          lastId = row.id
          const hash = createHash('sha256').update(row.payload).digest('hex')
          if (seen.has(hash)) continue
          seen.add(hash)
          await db.from('payment_events').where('id', row.id).update({ body_sha256: hash })
        }
      }
    })
  }

  async down() {
    this.schema.alterTable('payment_events', (table) => {
      table.dropUnique(['body_sha256'])
      table.dropColumn('body_sha256')
    })
    this.schema.alterTable('payments', (table) => {
      table.dropColumn('refund_event_at')
    })
  }
}
