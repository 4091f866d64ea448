import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { PanelRole } from '#enums/role'
import User from '#models/user'

/**
 * An invitation to the panel team (`InviteUser`): the emailed link's token
 * is stored only as its SHA-256 (`tokenHash`), valid until `expiresAt`,
 * used once (`acceptedAt`).
 */
export default class UserInvitation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare role: PanelRole

  @column({ serializeAs: null })
  declare tokenHash: string

  @column()
  declare invitedBy: number | null

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare acceptedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User, { foreignKey: 'invitedBy' })
  declare inviter: BelongsTo<typeof User>

  /**
   * Whether the link may still be used: not accepted, not expired.
   */
  isOpen(now = DateTime.now()): boolean {
    return !this.acceptedAt && this.expiresAt > now
  }
}
