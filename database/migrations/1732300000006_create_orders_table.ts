import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'orders'

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
      table
        .integer('machine_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('machines')
        .onDelete('RESTRICT')
      table
        .integer('slot_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('slots')
        .onDelete('RESTRICT')
      table.integer('slot_number').notNullable()
      table
        .integer('product_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('products')
        .onDelete('RESTRICT')
      table.integer('price_paise').notNullable()
      table.string('status', 16).notNullable()
      // The vend command id the device echoes back; unique so a replayed result is harmless.
      table.uuid('command_id').notNullable().unique()
      table.string('idempotency_key', 255).nullable()
      table.string('failure_reason', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.timestamp('dispatched_at').nullable()
      table.timestamp('completed_at').nullable()
      table.timestamp('failed_at').nullable()
      table.timestamp('refunded_at').nullable()
      table.unique(['user_id', 'idempotency_key'])
      table.index(['machine_id', 'status'])
      table.index(['status', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
