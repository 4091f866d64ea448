import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Remember-me tokens of the `shopper` session guard (`@adonisjs/auth`'s
 * `DbRememberMeTokensProvider`): only a hash of each token is stored, and a
 * token dies with its user.
 */
export default class extends BaseSchema {
  protected tableName = 'remember_me_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('tokenable_id')
        .notNullable()
        .unsigned()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('hash').notNullable().unique()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.timestamp('expires_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
