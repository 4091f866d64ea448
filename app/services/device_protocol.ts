import type { VendResult } from '#enums/vend_result'

/**
 * The socket.io protocol between the server, vending machines and live
 * pages, in one place: namespaces, rooms, event names and payload shapes.
 * The wire format is firmware/PROTOCOL.md; the server's socket handlers
 * (app/sockets), the device validators, the device client, the simulator,
 * the serial bridge and the tests take their names from here.
 */

/**
 * socket.io namespaces: `/devices` (vending machines), `/orders`
 * (shoppers' live pages), `/admin` (the dashboard).
 */
export const Namespaces = {
  Devices: '/devices',
  Orders: '/orders',
  Admin: '/admin',
} as const

/**
 * Server → device events on `/devices`.
 */
export const ServerToDeviceEvent = {
  /** Sent once the namespace is joined; the device sends nothing before it. */
  Hello: 'hello',
  /** A vend command (`VendCommand`). */
  Vend: 'vend',
  /** The presence code the machine shows (`DisplayCodeMessage`). */
  DisplayCode: 'display_code',
  /** The node is going away: connect again, through the proxy (`ReconnectMessage`). */
  Reconnect: 'reconnect',
  /** A firmware update to install (`OtaCommand`, firmware/PROTOCOL.md §13.1). */
  Ota: 'ota',
  // Remote operations (PROTOCOL.md §13.2, §13.3), each answered by a device event.
  /** Settings to apply (`ConfigMessage`), answered by `config_applied`. */
  Config: 'config',
  /** Restart now (`{}`), answered by `reboot_ack`. */
  Reboot: 'reboot',
  /** Send the recent log lines (`LogsRequest`), answered by `log_lines`. */
  Logs: 'logs',
} as const

/**
 * Device → server events on `/devices`.
 */
export const DeviceToServerEvent = {
  /** A vend's outcome, acked with `VendResultAck`. */
  VendResult: 'vend_result',
  /** Telemetry (`DeviceStatus`), sent after every `hello`. */
  Status: 'status',
  /** Where a firmware update stands (`OtaProgressMessage`, §13.1), no ack. */
  OtaProgress: 'ota_progress',
  // Answers to the remote operations (PROTOCOL.md §13.2, §13.3); no ack id.
  /** The settings as they now run (`ConfigAppliedMessage`). */
  ConfigApplied: 'config_applied',
  /** Whether a `reboot` was taken (`RebootAck`). */
  RebootAck: 'reboot_ack',
  /** The device's last log lines (`LogLinesMessage`). */
  LogLines: 'log_lines',
} as const

/**
 * Server → shopper events on `/orders`.
 */
export const ShopperEvent = {
  /** An order of the shopper changed: the order as the API presents it. */
  OrderUpdated: 'order_updated',
  /** A watched machine's status (`MachineStatusMessage`). */
  MachineStatus: 'machine_status',
} as const

/**
 * Server → dashboard events on `/admin`.
 */
export const AdminEvent = {
  /** The fleet changed: re-fetch the figures (`{ at }`, ISO 8601). */
  FleetChanged: 'fleet_changed',
  /** A communication monitor entry was written (`{ machine_id, event }`). */
  MachineEvent: 'machine_event',
  /** A firmware rollout or one of its targets changed (`{ rollout_id }`). */
  RolloutChanged: 'rollout_changed',
} as const

/**
 * Error codes of the protocol: in a `vend_result` ack (`invalid_payload`,
 * `server_error`) and as namespace connect errors (the others).
 */
export const ProtocolError = {
  /** The message failed its validator; the same bytes never succeed. */
  InvalidPayload: 'invalid_payload',
  /** A fault on our side: retry later. */
  ServerError: 'server_error',
  /** `/devices`: unknown machine or wrong key. */
  InvalidCredentials: 'invalid_credentials',
  /** `/devices`: too many connect attempts; wait for the window. */
  RateLimited: 'rate_limited',
  /** `/orders`: no valid bearer token or live ticket. */
  InvalidToken: 'invalid_token',
  /** `/admin`: no valid ticket of a current admin. */
  Unauthorized: 'unauthorized',
} as const

export type ServerToDeviceEventName = (typeof ServerToDeviceEvent)[keyof typeof ServerToDeviceEvent]
export type DeviceToServerEventName = (typeof DeviceToServerEvent)[keyof typeof DeviceToServerEvent]

/**
 * socket.io rooms. A machine's device joins `machine` (vend commands) and,
 * once greeted, `display` (display codes); shoppers join `user` (their
 * orders) and `presence` (a machine they watch); panel pages on `/admin`
 * join `panelUser`.
 */
export const Rooms = {
  machine: (machineId: number) => `machine:${machineId}`,
  display: (machineId: number) => `display:${machineId}`,
  user: (userId: number) => `user:${userId}`,
  presence: (machineId: number) => `presence:${machineId}`,
  /** `/admin`: every live page of one panel user, disconnected when they are deactivated. */
  panelUser: (userId: number) => `panel-user:${userId}`,
}

/**
 * `hello { machine, server_time }`: the machine's code and the server's
 * clock (ISO 8601 UTC).
 */
export interface HelloMessage {
  machine: string
  server_time: string
}

/**
 * A `vend` command (firmware/PROTOCOL.md, 3): `command_id` a UUID,
 * `order_id` for logs only, `slot` the motor to turn, `expires_at` the
 * deadline (ISO 8601 UTC) past which no motor may start.
 */
export interface VendCommand {
  command_id: string
  order_id: number
  slot: number
  expires_at?: string
}

/**
 * `display_code { code, ttl_ms }`: the code to show and for how long, in
 * milliseconds.
 */
export interface DisplayCodeMessage {
  code: string
  ttl_ms: number
}

/**
 * `reconnect { reason }`, e.g. `shutdown` when the node drains.
 */
export interface ReconnectMessage {
  reason: string
}

/**
 * Device → server `vend_result { command_id, result }`.
 */
export interface VendResultMessage {
  command_id: string
  result: VendResult
}

/**
 * Server reply to `vend_result` (firmware/PROTOCOL.md, 4): `{ ok: true }`,
 * or `{ ok: false, error }` with a named error code.
 */
export interface VendResultAck {
  ok?: boolean
  error?: string
}

/**
 * Telemetry sent as `status` after every `hello` (firmware/PROTOCOL.md, 3):
 * `rssi` in dBm, `free_heap` in bytes, `uptime_ms` in milliseconds. The
 * server accepts more fields (`deviceStatusValidator`).
 */
export interface DeviceStatus {
  firmware?: string
  rssi?: number
  free_heap?: number
  uptime_ms?: number
  sensor_ok?: boolean
}

/**
 * The device settings a `config` may set and `config_applied.settings`
 * reports (firmware/PROTOCOL.md §13.2). Units are in the names: `_ms`
 * milliseconds, `_us` microseconds, `_min` minutes after 00:00 UTC.
 */
export interface DeviceSettings {
  max_motor_run_ms: number
  beam_min_pulse_us: number
  beam_ignore_ms: number
  telemetry_period_ms: number
  quiet_start_min: number
  quiet_end_min: number
}

/**
 * Bounds of each device setting, inclusive (PROTOCOL.md §13.2): what the
 * firmware accepts in a `config`. The panel's form and the validator of
 * `config_applied` both take them from here.
 */
export const DEVICE_SETTING_BOUNDS: Record<keyof DeviceSettings, { min: number; max: number }> = {
  max_motor_run_ms: { min: 1000, max: 20_000 },
  beam_min_pulse_us: { min: 500, max: 50_000 },
  beam_ignore_ms: { min: 0, max: 500 },
  telemetry_period_ms: { min: 10_000, max: 3_600_000 },
  quiet_start_min: { min: 0, max: 1439 },
  quiet_end_min: { min: 0, max: 1439 },
}

/**
 * `config { ...settings }`: the settings to change, any subset; `{}`
 * changes nothing and reads the running values back (PROTOCOL.md §13.2).
 */
export type ConfigMessage = Partial<DeviceSettings>

/**
 * One field a device refused in a `config`: `reason` `out_of_range` or
 * `not_an_integer` (the field kept its value).
 */
export interface SettingRejection {
  field: string
  reason: string
}

/**
 * Device → server `config_applied { settings, rejected }`: every setting
 * as it now runs, and the fields of the `config` it refused.
 */
export interface ConfigAppliedMessage {
  settings: DeviceSettings
  rejected: SettingRejection[]
}

/**
 * Device → server `reboot_ack { ok, reason? }`: `ok` true when the device
 * restarts about 1 s later; else `reason` (`vend_in_progress`,
 * `update_in_progress`, `not_supported`) and nothing happens.
 */
export interface RebootAck {
  ok: boolean
  reason?: string
}

/**
 * `logs { count }`: how many of its last log lines the device should send
 * (1 to `MAX_DEVICE_LOG_LINES`).
 */
export interface LogsRequest {
  count: number
}

/** The most log lines a device keeps and sends (PROTOCOL.md §13.3). */
export const MAX_DEVICE_LOG_LINES = 64

/** Log lines a device sends when `logs` names no count (PROTOCOL.md §13.3). */
export const DEFAULT_DEVICE_LOG_LINES = 20

/**
 * Device → server `log_lines { lines, dropped }`: its last log lines,
 * oldest first, each `<uptime_ms> <message>`; `dropped` counts the lines
 * its ring lost since boot. Also what `machines.device_logs` keeps.
 */
export interface LogLinesMessage {
  lines: string[]
  dropped: number
}

/**
 * Whether `at` falls in the quiet hours of `settings` (PROTOCOL.md §13.2):
 * from `quiet_start_min` to `quiet_end_min` exclusive, minutes after
 * 00:00 UTC; equal bounds mean none, a start after the end spans midnight.
 * No settings known: no quiet hours (the device checks again itself).
 */
export function inQuietHours(
  settings: Pick<DeviceSettings, 'quiet_start_min' | 'quiet_end_min'> | null,
  at: Date = new Date()
): boolean {
  if (!settings) return false
  const { quiet_start_min: start, quiet_end_min: end } = settings
  if (start === end) return false
  const minute = at.getUTCHours() * 60 + at.getUTCMinutes()
  return start < end ? minute >= start && minute < end : minute >= start || minute < end
}

/**
 * The `firmware` string a device running release `version` (semver, as
 * published) reports in `status`, and the `version` of its `ota`
 * (PROTOCOL.md §13.1): `vendora-esp32-1.2.3`.
 */
export function deviceFirmwareVersion(version: string): string {
  return `vendora-esp32-${version}`
}

/**
 * `ota { version, url, size, sha256, signature }` (firmware/PROTOCOL.md
 * §13.1): `version` the firmware string the new image reports
 * (`deviceFirmwareVersion`), `url` its signed download URL for this
 * machine, `size` in bytes, `sha256` lower-case hex, `signature` base64 DER
 * ECDSA P-256 over the image's SHA-256.
 */
export interface OtaCommand {
  version: string
  url: string
  size: number
  sha256: string
  signature: string
}

/**
 * The `state` of an `ota_progress` frame (firmware/PROTOCOL.md §13.1).
 */
export const OtaProgressState = {
  Downloading: 'downloading',
  Verifying: 'verifying',
  Rebooting: 'rebooting',
  Confirmed: 'confirmed',
  Failed: 'failed',
  RolledBack: 'rolled_back',
} as const

export type OtaProgressStateName = (typeof OtaProgressState)[keyof typeof OtaProgressState]

/**
 * `ota_progress { version?, state, percent?, reason? }`, device → server:
 * `percent` 0–100 while downloading, `reason` for `failed` and
 * `rolled_back` (the reasons table of §13.1).
 */
export interface OtaProgressMessage {
  version?: string
  state: OtaProgressStateName
  percent?: number
  reason?: string
}

/**
 * `machine_status { code, status }` on `/orders`: `online`, `offline` or
 * `maintenance`.
 */
export interface MachineStatusMessage {
  code: string
  status: string
}

/**
 * `machine_event { machine_id, event }` on `/admin`: a monitor entry's
 * machine and event name.
 */
export interface MachineEventMessage {
  machine_id: number
  event: string
}
