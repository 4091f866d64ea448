import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A slot an operator should look at: a vend from it ended in a way that
 * leaves its real count unknown (`jam`, `sensor_fault`, `interrupted`, or
 * no result at all), so the server neither guesses a unit back nor takes
 * one more (`SettleVend`). Set once, by the first such vend (`needs_check_at`,
 * `needs_check_reason` the failure reason, `needs_check_order_id` the vend);
 * cleared by a restock or by the operator marking it checked.
 *
 * `needs_check_order_id` has no foreign key: orders already reference
 * slots, and it is only a pointer for the panel.
 */
export default class extends BaseSchema {
  protected tableName = 'slots'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('needs_check_at').nullable()
      table.string('needs_check_reason', 32).nullable()
      table.integer('needs_check_order_id').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('needs_check_order_id')
      table.dropColumn('needs_check_reason')
      table.dropColumn('needs_check_at')
    })
  }
}
