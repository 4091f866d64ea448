import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Email alerts, so an operator hears of an empty slot or a machine gone
 * quiet before shoppers do:
 *
 * - `slots.low_stock_threshold`: a slot with a product is low when it holds
 *   this many units or fewer (default 2; 0 turns its alert off);
 * - `alert_episodes`: one row per shortage or outage, from when it was seen
 *   (`opened_at`) to when it was over (`closed_at`), with `notified_at` set
 *   once its one email went out. `subject_id` is the slot's id for
 *   `low_stock` and the machine's id for `machine_offline`; `machine_id`
 *   lists a machine's alerts without a join per kind; `sending_until` is
 *   the lease of a check sending the email.
 *
 * At most one open episode per kind and subject: a partial unique index
 * `(kind, subject_id) WHERE closed_at IS NULL`, which PostgreSQL and SQLite
 * (3.8+) both support with the same SQL. Closed episodes stay as history
 * and do not collide, so the next shortage opens a new one. Two nodes
 * opening the same episode at once: the second insert fails on the index
 * and is ignored.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('slots', (table) => {
      table.integer('low_stock_threshold').notNullable().defaultTo(2)
    })

    this.schema.createTable('alert_episodes', (table) => {
      table.increments('id')
      table.string('kind', 32).notNullable()
      table.integer('subject_id').notNullable()
      table
        .integer('machine_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('machines')
        .onDelete('CASCADE')
      table.timestamp('opened_at').notNullable()
      table.timestamp('notified_at').nullable()
      // A check sending this episode's email owns it until then (a lease:
      // two checks never mail it twice, a crashed one's claim lapses).
      table.timestamp('sending_until').nullable()
      table.timestamp('closed_at').nullable()
      table.index(['machine_id', 'closed_at'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX alert_episodes_one_open ON alert_episodes (kind, subject_id) WHERE closed_at IS NULL'
    )
  }

  async down() {
    this.schema.dropTable('alert_episodes')
    this.schema.alterTable('slots', (table) => {
      table.dropColumn('low_stock_threshold')
    })
  }
}
