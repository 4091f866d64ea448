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
  /** How long a pay-per-vend payment holds its unit of stock (default 3 min). */
  holdMs: number
  /**
   * Most units held at once by open pay-per-vend payments opened from one
   * client address (default 3; 0: no cap).
   */
  holdsPerAddress: number
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
  /*
   * A hold keeps a unit from everyone else while one shopper pays, and costs
   * the shopper nothing, so it is kept short. Three minutes covers Razorpay
   * Checkout end to end for a card with a bank OTP (3-D Secure) or a UPI
   * app switch, a minute or two for most people. A payment that still
   * arrives later is not lost: it vends if a unit is left, else it is
   * refunded to the card (CapturePayment).
   */
  holdMs: env.get('PAYMENT_HOLD_MS', 3 * 60_000),
  /*
   * One shopper holds at most one unit (StartVendPayment replaces their
   * earlier hold), but new shoppers cost nothing: this caps what one
   * address can keep off the shelves with free pay requests. Shoppers
   * behind one NAT address (a campus) share it; those at one machine take
   * turns anyway (its session lock), and a hold usually ends within a
   * minute (paid or cancelled), so a few at once are enough there.
   */
  holdsPerAddress: env.get('LIMIT_HOLDS_PER_IP', 3),
  merchantName: env.get('MERCHANT_NAME', 'Vendora'),
}

export default paymentsConfig
