import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Every webhook delivery from the payment provider, stored before it is
 * acted on and unique on the provider's event id, so a redelivery is
 * recognised; admins read them in the panel.
 */
export default class extends BaseSchema {
  protected tableName = 'payment_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('provider', 16).notNullable()
      table.string('event_id', 128).notNullable().unique()
      table.string('event', 64).notNullable()
      table.string('provider_order_id', 64).nullable()
      table.string('provider_payment_id', 64).nullable()
      table
        .integer('payment_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('payments')
        .onDelete('SET NULL')
      table.text('payload').notNullable()
      // received → the outcome of handling it (credited, vended, ignored, error ...)
      table.string('outcome', 32).notNullable()
      table.string('error', 255).nullable()
      table.integer('deliveries').notNullable().defaultTo(1)
      table.timestamp('received_at').notNullable()
      table.timestamp('processed_at').nullable()
      table.index(['received_at'])
      table.index(['provider_payment_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
