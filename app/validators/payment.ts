import vine from '@vinejs/vine'

const razorpayId = (prefix: string) =>
  vine
    .string()
    .trim()
    .maxLength(64)
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9]+$`))

/**
 * `POST /api/v1/payments/verify`: what Razorpay Checkout hands the browser
 * (`order_...`, `pay_...`, a hex HMAC-SHA256 signature).
 */
export const verifyPaymentValidator = vine.compile(
  vine.object({
    razorpay_order_id: razorpayId('order'),
    razorpay_payment_id: razorpayId('pay'),
    razorpay_signature: vine.string().trim().regex(/^[0-9a-f]{64}$/i),
  })
)

/**
 * `POST /api/v1/products/:id/pay { machine, slot?, display_code? }`: one
 * item paid per vend.
 */
export const payPerVendValidator = vine.compile(
  vine.object({
    machine: vine.string().trim().minLength(1).maxLength(64),
    slot: vine.number({ strict: true }).withoutDecimals().min(1).max(1000).optional(),
    display_code: vine.string().trim().minLength(1).maxLength(8).optional(),
  })
)
