import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'machines'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('code', 64).notNullable().unique()
      table.string('name', 120).notNullable()
      table.string('location', 255).nullable()
      table.string('device_key_hash').notNullable()
      table.string('status', 16).notNullable().defaultTo('offline')
      table.timestamp('last_seen_at').nullable()
      table.string('firmware_version', 64).nullable()
      // Last `status` telemetry the device sent, as JSON text.
      table.text('telemetry').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
