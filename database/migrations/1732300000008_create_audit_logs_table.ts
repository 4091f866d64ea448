import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Who changed what in the panel, with the values before and after.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('action', 64).notNullable()
      table.string('subject_type', 32).notNullable()
      table.integer('subject_id').nullable()
      table.text('before').nullable()
      table.text('after').nullable()
      table.string('note', 255).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['subject_type', 'subject_id'])
      table.index(['created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
