import vine from '@vinejs/vine'
import { buyProductValidator } from '#validators/order'

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
    razorpay_signature: vine
      .string()
      .trim()
      .regex(/^[0-9a-f]{64}$/i),
  })
)

/**
 * `POST /api/v1/products/:id/pay { machine, slot?, display_code? }`: one
 * item paid per vend. The same unit request as a wallet buy (both go to
 * `TakeUnit`), so the same schema.
 */
export const payPerVendValidator = buyProductValidator
