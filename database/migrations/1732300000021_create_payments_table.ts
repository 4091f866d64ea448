import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Money taken from outside (Razorpay, or the demo driver): a wallet top-up
 * or one item paid per vend. The provider's order and payment ids are
 * unique, so a replayed verify or webhook finds the same row.
 */
export default class extends BaseSchema {
  protected tableName = 'payments'

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
      table.string('purpose', 16).notNullable()
      table.string('provider', 16).notNullable()
      table.bigInteger('amount_paise').notNullable()
      table.string('currency', 3).notNullable().defaultTo('INR')
      table.string('status', 16).notNullable()
      table.string('provider_order_id', 64).nullable().unique()
      table.string('provider_payment_id', 64).nullable().unique()
      table.string('idempotency_key', 255).nullable()
      // Pay per vend: the unit held for the shopper while the payment is open.
      table
        .integer('machine_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('machines')
        .onDelete('RESTRICT')
      table
        .integer('slot_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('slots')
        .onDelete('RESTRICT')
      table
        .integer('product_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('products')
        .onDelete('RESTRICT')
      table.boolean('stock_held').notNullable().defaultTo(false)
      table.timestamp('hold_expires_at').nullable()
      table.string('failure_reason', 255).nullable()
      // Refund to the card: pending → sent → processed | failed.
      table.string('refund_status', 16).nullable()
      table.string('provider_refund_id', 64).nullable().unique()
      table.string('refund_error', 255).nullable()
      table.timestamp('paid_at').nullable()
      table.timestamp('refunded_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.unique(['user_id', 'idempotency_key'])
      table.index(['status', 'hold_expires_at'])
      table.index(['refund_status'])
      table.check('amount_paise > 0', [], 'payments_amount_positive')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
