import { DateTime } from 'luxon'
import type { DeviceTelemetry } from '#validators/device'
import type { DeviceSettings, LogLinesMessage } from '#services/device_protocol'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { MachineStatus } from '#enums/machine_status'
import Slot from '#models/slot'

/**
 * A vending machine, known to its device by `code` and a device key whose
 * scrypt hash is `deviceKeyHash` (the key itself is shown once and never
 * stored).
 */
export default class Machine extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare location: string | null

  @column({ serializeAs: null })
  declare deviceKeyHash: string

  @column()
  declare status: MachineStatus

  @column.dateTime()
  declare lastSeenAt: DateTime | null

  @column()
  declare firmwareVersion: string | null

  /**
   * Last telemetry from the device's `status` event, as validated by
   * `deviceStatusValidator` (rssi, heap, reset reason, per-slot cycles and
   * jams, ...; firmware/PROTOCOL.md §3).
   */
  @column({
    prepare: (value: DeviceTelemetry | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare telemetry: DeviceTelemetry | null

  /**
   * The settings the device last reported as running (`config_applied`,
   * firmware/PROTOCOL.md §13.2); null until it answered a `config`.
   */
  @column({
    prepare: (value: DeviceSettings | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare deviceSettings: DeviceSettings | null

  @column.dateTime()
  declare deviceSettingsAt: DateTime | null

  /**
   * Labels an operator gives the machine (`airport`, `campus-north`), to
   * pick machines by tag, e.g. for a firmware rollout. Lower case, no
   * duplicates; stored as a JSON array.
   */
  @column({
    prepare: (value: string[] | null) => (value && value.length > 0 ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : []),
  })
  declare tags: string[]

  /**
   * The device's log lines as it last sent them (`log_lines`,
   * firmware/PROTOCOL.md §13.3), oldest first; null until pulled once.
   */
  @column({
    prepare: (value: LogLinesMessage | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare deviceLogs: LogLinesMessage | null

  @column.dateTime()
  declare deviceLogsAt: DateTime | null

  /**
   * Whether a buy must quote the code on the machine's display (the
   * presence check; checked by `TakeUnit`). Set by an operator.
   */
  @column({ consume: (value) => Boolean(value) })
  declare requiresDisplayCode: boolean

  /**
   * The code the machine shows now (4 digits), sent to the device as
   * `display_code` and rotated by `RotateDisplayCodes`. Never serialized:
   * knowing it from afar is exactly what the check rules out.
   */
  @column({ serializeAs: null })
  declare displayCode: string | null

  @column.dateTime()
  declare displayCodeExpiresAt: DateTime | null

  /**
   * The code the current one replaced, still accepted until
   * `previousDisplayCodeUntil` (DISPLAY_CODE_GRACE_MS after it expired).
   */
  @column({ serializeAs: null })
  declare previousDisplayCode: string | null

  @column.dateTime()
  declare previousDisplayCodeUntil: DateTime | null

  /**
   * Wrong codes quoted since the last rotation (`TakeUnit` burns the code
   * at `DISPLAY_CODE_MAX_FAILURES`).
   */
  @column({ serializeAs: null })
  declare displayCodeFailures: number

  /**
   * The shopper holding the machine, until `sessionExpiresAt` (one
   * shopper session at a time; see `MachineSession`).
   */
  @column()
  declare sessionUserId: number | null

  @column.dateTime()
  declare sessionExpiresAt: DateTime | null

  /**
   * `NODE_ID` of the app node holding the device's connection, or null when
   * none does (see MachinePresence). Diagnostic, not for shoppers.
   */
  @column({ serializeAs: null })
  declare connectedNode: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @hasMany(() => Slot)
  declare slots: HasMany<typeof Slot>
}
