import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Firmware releases an operator published: one row per version (unique),
 * with its image's size, SHA-256 (hex) and ECDSA P-256 signature (base64
 * of the DER signature over the image bytes), the name of the image file
 * in the firmware folder (config/firmware.ts) and who published it.
 */
export default class extends BaseSchema {
  protected tableName = 'firmware_releases'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('version', 64).notNullable().unique()
      table.text('notes').nullable()
      table.integer('size_bytes').notNullable()
      table.string('sha256', 64).notNullable()
      table.text('signature').notNullable()
      table.string('file_name', 64).notNullable()
      table
        .integer('published_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
