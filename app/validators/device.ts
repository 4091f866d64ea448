import vine from '@vinejs/vine'
import { VendResult } from '#enums/vend_result'
import {
  DEVICE_SETTING_BOUNDS,
  MAX_DEVICE_LOG_LINES,
  OtaProgressState,
  type DeviceSettings,
} from '#services/device_protocol'

/**
 * Auth payload a device sends in its namespace connect (`40/devices,{...}`).
 */
export const deviceAuthValidator = vine.compile(
  vine.object({
    machine: vine.string().trim().minLength(1).maxLength(64),
    key: vine.string().minLength(1).maxLength(256),
  })
)

/**
 * Device → server `vend_result`.
 */
export const vendResultValidator = vine.compile(
  vine.object({
    command_id: vine.string().uuid(),
    result: vine.enum(Object.values(VendResult)),
  })
)

/**
 * Device → server `status` telemetry (firmware/PROTOCOL.md §3). Every field
 * is optional; unknown fields are dropped and lists are bounded, so a
 * device cannot grow the stored JSON at will. A payload with any invalid
 * field is ignored as a whole.
 */
export const deviceStatusValidator = vine.compile(
  vine.object({
    firmware: vine.string().trim().maxLength(64).optional(),
    rssi: vine.number().min(-150).max(0).optional(),
    free_heap: vine.number().min(0).optional(),
    uptime_ms: vine.number().min(0).optional(),
    sensor_ok: vine.boolean({ strict: true }).optional(),
    /** Why the board last restarted: `power_on`, `brownout`, `watchdog`, `panic`, `software`... */
    reset_reason: vine.string().trim().maxLength(32).optional(),
    /** Lowest free heap since boot, bytes. */
    min_free_heap: vine.number().withoutDecimals().min(0).optional(),
    /** Link re-establishments since boot. */
    reconnects: vine.number().withoutDecimals().min(0).optional(),
    /** Vend results not yet acked by the server. */
    pending_results: vine.number().withoutDecimals().min(0).optional(),
    /** Per spiral since boot: motor cycles and jams. */
    slots: vine
      .array(
        vine.object({
          slot: vine.number().withoutDecimals().min(1).max(255),
          cycles: vine.number().withoutDecimals().min(0),
          jams: vine.number().withoutDecimals().min(0),
        })
      )
      .maxLength(64)
      .optional(),
    ip: vine.string().trim().ipAddress().optional(),
    mac: vine
      .string()
      .trim()
      .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/)
      .optional(),
  })
)

/**
 * Telemetry as stored on the machine (`machines.telemetry`) and shown on
 * its page: what `deviceStatusValidator` accepted.
 */
export type DeviceTelemetry = Awaited<ReturnType<typeof deviceStatusValidator.validate>>

/**
 * Device → server `ota_progress { version?, state, percent?, reason? }`
 * (firmware/PROTOCOL.md §13.1): `version` the `ota`'s firmware string,
 * `percent` 0–100, `reason` a short snake_case word from the reasons
 * table (unknown ones are kept: a newer firmware may know more).
 */
export const otaProgressValidator = vine.compile(
  vine.object({
    version: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(64)
      .regex(/^[\x21-\x7e]+$/)
      .optional(),
    state: vine.enum(Object.values(OtaProgressState)),
    percent: vine.number().withoutDecimals().min(0).max(100).optional(),
    reason: vine
      .string()
      .trim()
      .maxLength(64)
      .regex(/^[a-z0-9_]+$/)
      .optional(),
  })
)
// Answers to the remote operations (firmware/PROTOCOL.md §13.2, §13.3).

/** A setting as the device reports it: an integer within its protocol bounds. */
function reportedSetting(name: keyof DeviceSettings) {
  const { min, max } = DEVICE_SETTING_BOUNDS[name]
  return vine.number({ strict: true }).withoutDecimals().min(min).max(max)
}

/**
 * Device → server `config_applied { settings, rejected }`: all six
 * settings as they run now (each within its bounds: the firmware never
 * runs another value) and the refused fields (at most 16; `rejected` may
 * be left out by a lenient firmware, read as none).
 */
export const configAppliedValidator = vine.compile(
  vine.object({
    settings: vine.object({
      max_motor_run_ms: reportedSetting('max_motor_run_ms'),
      beam_min_pulse_us: reportedSetting('beam_min_pulse_us'),
      beam_ignore_ms: reportedSetting('beam_ignore_ms'),
      telemetry_period_ms: reportedSetting('telemetry_period_ms'),
      quiet_start_min: reportedSetting('quiet_start_min'),
      quiet_end_min: reportedSetting('quiet_end_min'),
    }),
    rejected: vine
      .array(
        vine.object({
          field: vine.string().trim().maxLength(64),
          reason: vine.string().trim().maxLength(32),
        })
      )
      .maxLength(16)
      .optional(),
  })
)

/**
 * Device → server `reboot_ack { ok, reason? }`.
 */
export const rebootAckValidator = vine.compile(
  vine.object({
    ok: vine.boolean({ strict: true }),
    reason: vine.string().trim().maxLength(32).optional(),
  })
)

/**
 * Device → server `log_lines { lines, dropped }`: at most
 * `MAX_DEVICE_LOG_LINES` lines (the device cuts each to 120 characters;
 * 512 leaves room for escapes), so what is stored stays bounded.
 */
export const logLinesValidator = vine.compile(
  vine.object({
    lines: vine.array(vine.string().maxLength(512)).maxLength(MAX_DEVICE_LOG_LINES),
    dropped: vine.number({ strict: true }).withoutDecimals().min(0),
  })
)
