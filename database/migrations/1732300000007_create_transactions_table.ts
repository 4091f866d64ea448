import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The ledger: one row per balance change, signed, with the balance after it.
 */
export default class extends BaseSchema {
  protected tableName = 'transactions'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('RESTRICT')
      table.string('kind', 16).notNullable()
      table.bigInteger('amount_paise').notNullable()
      table.bigInteger('balance_after_paise').notNullable()
      table
        .integer('order_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('orders')
        .onDelete('RESTRICT')
      // Payment id, idempotency key or refund marker: unique, so a replay credits nothing.
      table.string('external_reference', 255).nullable().unique()
      table.string('note', 255).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['user_id', 'created_at'])
      table.check('amount_paise <> 0', [], 'transactions_amount_not_zero')
      table.check('balance_after_paise >= 0', [], 'transactions_balance_not_negative')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
