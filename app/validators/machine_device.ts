import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import {
  DEVICE_SETTING_BOUNDS,
  MAX_DEVICE_LOG_LINES,
  type DeviceSettings,
} from '#services/device_protocol'

/** A time of day as the panel's `<input type="time">` sends it: `HH:MM`. */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/

/** An optional integer setting within its protocol bounds (PROTOCOL.md §13.2). */
function setting(name: keyof DeviceSettings) {
  const { min, max } = DEVICE_SETTING_BOUNDS[name]
  return vine.number().withoutDecimals().min(min).max(max).optional()
}

/**
 * A quiet-hours bound typed as `HH:MM` **UTC** (the device's clock is the
 * server's UTC time from `hello`), turned into minutes after 00:00 UTC.
 */
function timeOfDayUtc() {
  return vine
    .string()
    .trim()
    .regex(TIME_OF_DAY)
    .transform((value) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5)))
}

/**
 * Panel: device settings to push as `config` (firmware/PROTOCOL.md
 * §13.2). Each field is optional: a blank one is left as the device runs
 * it, and a form with every field blank reads the running values back
 * (`config {}`). The quiet hours come as a pair, each `HH:MM` UTC; the
 * output is the `config` message itself (quiet hours in minutes).
 */
export const deviceSettingsValidator = vine.compile(
  vine.object({
    max_motor_run_ms: setting('max_motor_run_ms'),
    beam_min_pulse_us: setting('beam_min_pulse_us'),
    beam_ignore_ms: setting('beam_ignore_ms'),
    telemetry_period_ms: setting('telemetry_period_ms'),
    quiet_start_min: timeOfDayUtc().optional().requiredIfExists('quiet_end_min'),
    quiet_end_min: timeOfDayUtc().optional().requiredIfExists('quiet_start_min'),
  })
)

/** "between 1000 and 20000" for a setting's error messages. */
function range(name: keyof DeviceSettings) {
  const { min, max } = DEVICE_SETTING_BOUNDS[name]
  return `between ${min} and ${max}`
}

deviceSettingsValidator.messagesProvider = new SimpleMessagesProvider({
  'number': 'Enter a whole number.',
  'withoutDecimals': 'Enter a whole number.',
  'max_motor_run_ms.min': `The motor run time must be ${range('max_motor_run_ms')} ms.`,
  'max_motor_run_ms.max': `The motor run time must be ${range('max_motor_run_ms')} ms.`,
  'beam_min_pulse_us.min': `The beam pulse width must be ${range('beam_min_pulse_us')} µs.`,
  'beam_min_pulse_us.max': `The beam pulse width must be ${range('beam_min_pulse_us')} µs.`,
  'beam_ignore_ms.min': `The beam ignore window must be ${range('beam_ignore_ms')} ms.`,
  'beam_ignore_ms.max': `The beam ignore window must be ${range('beam_ignore_ms')} ms.`,
  'telemetry_period_ms.min': `The telemetry period must be ${range('telemetry_period_ms')} ms.`,
  'telemetry_period_ms.max': `The telemetry period must be ${range('telemetry_period_ms')} ms.`,
  'regex': 'Enter a time of day as HH:MM (UTC), e.g. 22:00.',
  // requiredIfExists reports its failure as `required`.
  'quiet_start_min.required': 'Give both ends of the quiet hours, or neither.',
  'quiet_end_min.required': 'Give both ends of the quiet hours, or neither.',
})

/**
 * Panel: how many of its last log lines to ask the device for (`logs
 * { count }`, 1 to `MAX_DEVICE_LOG_LINES`; blank: the firmware's
 * default, `DEFAULT_DEVICE_LOG_LINES`).
 */
export const deviceLogsValidator = vine.compile(
  vine.object({
    count: vine.number().withoutDecimals().min(1).max(MAX_DEVICE_LOG_LINES).optional(),
  })
)

deviceLogsValidator.messagesProvider = new SimpleMessagesProvider({
  'count.number': `Ask for 1 to ${MAX_DEVICE_LOG_LINES} lines.`,
  'count.withoutDecimals': `Ask for 1 to ${MAX_DEVICE_LOG_LINES} lines.`,
  'count.min': `Ask for 1 to ${MAX_DEVICE_LOG_LINES} lines.`,
  'count.max': `Ask for 1 to ${MAX_DEVICE_LOG_LINES} lines.`,
})
