import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `payments.client_ip`: the address a pay-per-vend payment was opened
 * from, so the units held by open payments can be counted per address
 * (`LIMIT_HOLDS_PER_IP`, `StartVendPayment`). 45 characters fit any IPv6
 * text form. The index serves that count: `client_ip = ? AND stock_held`.
 */
export default class extends BaseSchema {
  protected tableName = 'payments'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('client_ip', 45).nullable()
      table.index(['client_ip', 'stock_held'])
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['client_ip', 'stock_held'])
      table.dropColumn('client_ip')
    })
  }
}
