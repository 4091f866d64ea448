import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

/**
 * A firmware image an operator published for the machines: its `version`
 * (semver, unique), release `notes`, the image's size in bytes, SHA-256
 * (lower-case hex) and `signature` (base64 of the DER ECDSA P-256/SHA-256
 * signature over the image bytes, firmware/PROTOCOL.md "Firmware images"),
 * and `fileName`, the image's name in the firmware folder
 * (config/firmware.ts). Written once by `PublishFirmwareRelease`.
 */
export default class FirmwareRelease extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare version: string

  @column()
  declare notes: string | null

  @column()
  declare sizeBytes: number

  // The default naming would make it `sha_256`.
  @column({ columnName: 'sha256' })
  declare sha256: string

  @column()
  declare signature: string

  @column({ serializeAs: null })
  declare fileName: string

  /**
   * The admin who published it (null when published from a shell with
   * `node ace firmware:publish`, or once that account is gone).
   */
  @column()
  declare publishedBy: number | null

  @belongsTo(() => User, { foreignKey: 'publishedBy' })
  declare publisher: BelongsTo<typeof User>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
