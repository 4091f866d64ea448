import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `machines.device_logs`: the device's log lines as it last sent them
 * (`log_lines { lines, dropped }`, firmware/PROTOCOL.md §13.3), as JSON;
 * null until an operator pulled them once. `device_logs_at`: when they
 * came. Only the last pull is kept: the device's own ring holds 64 lines,
 * and the panel shows what it answered.
 */
export default class extends BaseSchema {
  protected tableName = 'machines'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.text('device_logs').nullable()
      table.timestamp('device_logs_at').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('device_logs')
      table.dropColumn('device_logs_at')
    })
  }
}
