import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A machine's recent protocol events, for the panel's communication
 * monitor. The gateway keeps only the latest few hundred per machine.
 */
export default class extends BaseSchema {
  protected tableName = 'device_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('machine_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('machines')
        .onDelete('CASCADE')
      // `in` (device → server), `out` (server → device) or `link` (connection changes).
      table.string('direction', 8).notNullable()
      table.string('event', 32).notNullable()
      // JSON text of the event's payload, never a secret.
      table.text('payload').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['machine_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
