import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * An order paid per vend points at its payment (one order per payment);
 * wallet orders leave it null and are paid through the ledger.
 */
export default class extends BaseSchema {
  protected tableName = 'orders'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table
        .integer('payment_id')
        .unsigned()
        .nullable()
        .unique()
        .references('id')
        .inTable('payments')
        .onDelete('RESTRICT')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('payment_id')
    })
  }
}
