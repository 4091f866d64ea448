import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'products'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('name', 120).notNullable()
      table.text('description').nullable()
      table.integer('price_paise').notNullable()
      table.string('image_path').nullable()
      table.boolean('is_refundable').notNullable().defaultTo(false)
      table.boolean('is_active').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.check('price_paise > 0', [], 'products_price_positive')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
