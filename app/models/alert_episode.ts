import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Machine from '#models/machine'

/**
 * What an alert is about: a slot running low, a slot that keeps jamming,
 * or a machine offline.
 */
export type AlertKind = 'low_stock' | 'slot_jams' | 'machine_offline'

/**
 * One shortage or outage, from when `CheckAlerts` saw it (`openedAt`) to
 * when it was over (`closedAt`), and when its one email went out
 * (`notifiedAt`, null until a send succeeded). `subjectId` is the slot's
 * id (`low_stock`, `slot_jams`) or the machine's id (`machine_offline`). At most one
 * open episode per kind and subject (a partial unique index).
 */
export default class AlertEpisode extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: AlertKind

  @column()
  declare subjectId: number

  @column()
  declare machineId: number

  @column.dateTime()
  declare openedAt: DateTime

  @column.dateTime()
  declare notifiedAt: DateTime | null

  /**
   * Until when a check sending this episode's email owns it (a lease).
   */
  @column.dateTime()
  declare sendingUntil: DateTime | null

  @column.dateTime()
  declare closedAt: DateTime | null

  @belongsTo(() => Machine)
  declare machine: BelongsTo<typeof Machine>
}
