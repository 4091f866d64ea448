import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

const json = {
  prepare: (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : null),
  consume: (value: string | null) => (value ? JSON.parse(value) : null),
}

/**
 * One admin action that changed data: `action` such as `product.update`,
 * the subject (`subjectType`, `subjectId`) and its fields before and after.
 * Written by `AuditTrail.record`, never updated.
 */
export default class AuditLog extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number | null

  @column()
  declare action: string

  @column()
  declare subjectType: string

  @column()
  declare subjectId: number | null

  @column(json)
  declare before: Record<string, unknown> | null

  @column(json)
  declare after: Record<string, unknown> | null

  @column()
  declare note: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
