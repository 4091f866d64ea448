import env from '#start/env'

/**
 * Which payment driver takes money from shoppers.
 *
 * - `razorpay`: Razorpay orders, Checkout in the browser, signature checks,
 *   webhooks and refunds to the card. Chosen when `RAZORPAY_KEY_ID` and
 *   `RAZORPAY_KEY_SECRET` are set.
 * - `demo`: money appears at once, for development and `npm run demo`;
 *   refused when NODE_ENV=production.
 *
 * `PAYMENT_DRIVER` forces one or the other.
 */
export type PaymentDriverName = 'demo' | 'razorpay'

const keyId = env.get('RAZORPAY_KEY_ID') || null
const keySecret = env.get('RAZORPAY_KEY_SECRET') || null

/**
 * Settings of `PaymentGateway`. Durations are milliseconds.
 */
export interface PaymentSettings {
  driver: PaymentDriverName
  razorpay: {
    keyId: string | null
    keySecret: string | null
    webhookSecret: string | null
    /** Razorpay's API origin; tests point it at a fake server. */
    apiUrl: string
  }
  /** How long a pay-per-vend payment holds its unit of stock (default 10 min). */
  holdMs: number
  /** The name Razorpay Checkout shows. */
  merchantName: string
}

const paymentsConfig: PaymentSettings = {
  driver: env.get('PAYMENT_DRIVER') ?? (keyId && keySecret ? 'razorpay' : 'demo'),
  razorpay: {
    keyId,
    keySecret,
    webhookSecret: env.get('RAZORPAY_WEBHOOK_SECRET') || null,
    apiUrl: env.get('RAZORPAY_API_URL', 'https://api.razorpay.com'),
  },
  holdMs: env.get('PAYMENT_HOLD_MS', 10 * 60_000),
  merchantName: env.get('MERCHANT_NAME', 'Vendora'),
}

export default paymentsConfig
