import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * An operator's test vend is an order like any other (same command path,
 * same at-most-once rules) but free and flagged, so reports can leave it out.
 */
export default class extends BaseSchema {
  protected tableName = 'orders'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.boolean('is_test').notNullable().defaultTo(false)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('is_test')
    })
  }
}
