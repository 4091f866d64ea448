import vine from '@vinejs/vine'
import { VendResult } from '#enums/vend_result'

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
 * Device → server `status` telemetry. Every field is optional; unknown
 * fields are dropped, so a device cannot grow the stored JSON at will.
 */
export const deviceStatusValidator = vine.compile(
  vine.object({
    firmware: vine.string().trim().maxLength(64).optional(),
    rssi: vine.number().min(-150).max(0).optional(),
    free_heap: vine.number().min(0).optional(),
    uptime_ms: vine.number().min(0).optional(),
    sensor_ok: vine.boolean({ strict: true }).optional(),
  })
)
