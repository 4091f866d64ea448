import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'slots'

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
      table.integer('number').notNullable()
      table
        .integer('product_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('products')
        .onDelete('SET NULL')
      table.integer('quantity').notNullable().defaultTo(0)
      table.integer('capacity').notNullable().defaultTo(10)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.unique(['machine_id', 'number'])
      // Stock never goes below zero, even if a conditional update were missed.
      table.check('quantity >= 0', [], 'slots_quantity_not_negative')
      table.check('quantity <= capacity', [], 'slots_quantity_within_capacity')
      table.check('number > 0', [], 'slots_number_positive')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
