import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `machines.device_settings`: the settings the device last reported as
 * running (`config_applied.settings`, firmware/PROTOCOL.md §13.2), as JSON;
 * null until the device has answered a `config`. `device_settings_at`:
 * when that answer came. The server reads the quiet hours from here before
 * it offers a firmware update.
 */
export default class extends BaseSchema {
  protected tableName = 'machines'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.text('device_settings').nullable()
      table.timestamp('device_settings_at').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('device_settings')
      table.dropColumn('device_settings_at')
    })
  }
}
