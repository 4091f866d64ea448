import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * So that only someone standing at the machine can buy from it, one
 * shopper at a time:
 *
 * - the short code the machine shows on its display (`display_code`, valid
 *   until `display_code_expires_at`), the code it replaced (still accepted
 *   until `previous_display_code_until`, for a shopper who read it just
 *   before the rotation), wrong guesses since the last rotation, and
 *   whether buys must quote it;
 * - the shopper session lock: `session_user_id` holds the machine until
 *   `session_expires_at`. A deleted user frees it (SET NULL).
 */
export default class extends BaseSchema {
  protected tableName = 'machines'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.boolean('requires_display_code').notNullable().defaultTo(false)
      table.string('display_code', 8).nullable()
      table.timestamp('display_code_expires_at').nullable()
      table.string('previous_display_code', 8).nullable()
      table.timestamp('previous_display_code_until').nullable()
      // Wrong codes quoted since the last rotation; too many burn the code.
      table.integer('display_code_failures').notNullable().defaultTo(0)
      table
        .integer('session_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('session_expires_at').nullable()
    })
  }

  async down() {
    // Dropping the column drops its foreign key too (PostgreSQL; knex
    // rebuilds the table on SQLite).
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('session_expires_at')
      table.dropColumn('session_user_id')
      table.dropColumn('display_code_failures')
      table.dropColumn('previous_display_code_until')
      table.dropColumn('previous_display_code')
      table.dropColumn('display_code_expires_at')
      table.dropColumn('display_code')
      table.dropColumn('requires_display_code')
    })
  }
}
