import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table.string('username', 64).notNullable().unique()
      table.string('role', 16).notNullable().defaultTo('user')
      table.string('email', 254).nullable().unique()
      table.string('password').nullable()
      // Integer paise; the CHECK backs up the conditional updates in the ledger.
      table.bigInteger('balance_paise').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.check('balance_paise >= 0', [], 'users_balance_not_negative')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
