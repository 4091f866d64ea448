import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Every change an operator made to a slot's stock, for the restock history.
 */
export default class extends BaseSchema {
  protected tableName = 'restocks'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('slot_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('slots')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.integer('quantity_before').notNullable()
      table.integer('quantity_after').notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['slot_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
