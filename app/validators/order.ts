import vine from '@vinejs/vine'

/**
 * `POST /api/v1/products/:id/buy { machine, slot? }`.
 */
export const buyProductValidator = vine.compile(
  vine.object({
    machine: vine.string().trim().minLength(1).maxLength(64),
    slot: vine.number({ strict: true }).withoutDecimals().min(1).max(1000).optional(),
  })
)

/**
 * `POST /api/v1/products/:id/refund { order_id }`.
 */
export const refundOrderValidator = vine.compile(
  vine.object({
    order_id: vine.number({ strict: true }).withoutDecimals().min(1).max(2_147_483_647),
  })
)

/**
 * The optional `Idempotency-Key` header: 1 to 255 visible ASCII characters.
 */
export const idempotencyKeyValidator = vine.compile(
  vine.object({
    'Idempotency-Key': vine
      .string()
      .minLength(1)
      .maxLength(255)
      .regex(/^[\x21-\x7e]+$/),
  })
)
