import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Restock routes: a named, ordered group of machines a restocker visits
 * in one trip, for the pick list. A machine is on at most one route
 * (unique `machine_id`); `position` is its place in the visit order.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('restock_routes', (table) => {
      table.increments('id')
      table.string('name', 80).notNullable().unique()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
    })

    this.schema.createTable('restock_route_machines', (table) => {
      table.increments('id')
      table
        .integer('route_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('restock_routes')
        .onDelete('CASCADE')
      table
        .integer('machine_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('machines')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table.index(['route_id', 'position'])
    })
  }

  async down() {
    this.schema.dropTable('restock_route_machines')
    this.schema.dropTable('restock_routes')
  }
}
