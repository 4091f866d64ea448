import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Shoppers' ratings of settled orders (`LeaveFeedback`): at most one per
 * order, which the unique `order_id` guarantees even when two submits race.
 * `user_id`, `machine_id` and `product_id` are copied from the order so the
 * panel's averages per machine and per product need no join; they restrict
 * deletes as `orders` does. `vend_failed` is the order's outcome when the
 * shopper rated it (a failed vend, refunded or not).
 */
export default class extends BaseSchema {
  protected tableName = 'order_feedback'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('order_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('orders')
        .onDelete('CASCADE')
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
        .integer('product_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('products')
        .onDelete('RESTRICT')
      table.smallint('rating').notNullable()
      table.text('comment').nullable()
      table.boolean('vend_failed').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.check('rating >= 1 AND rating <= 5', [], 'order_feedback_rating_range')
      table.index(['machine_id', 'created_at'])
      table.index(['product_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
