import vine from '@vinejs/vine'

/**
 * `POST /api/v1/products/:id/buy { machine, slot?, display_code? }`.
 * `display_code` is the code on the machine's display, for machines that
 * require it (proof the shopper stands there); whether it is right is
 * `TakeUnit`'s business.
 */
export const buyProductValidator = vine.compile(
  vine.object({
    machine: vine.string().trim().minLength(1).maxLength(64),
    slot: vine.number({ strict: true }).withoutDecimals().min(1).max(1000).optional(),
    display_code: vine.string().trim().minLength(1).maxLength(8).optional(),
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
