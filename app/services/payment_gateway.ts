import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import Razorpay from 'razorpay'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import paymentsConfig, { type PaymentSettings, type PaymentDriverName } from '#config/payments'
import PaymentsUnavailableException from '#exceptions/payments_unavailable_exception'
import PaymentProviderException from '#exceptions/payment_provider_exception'
import VendingException from '#exceptions/vending_exception'

/**
 * What Razorpay Checkout needs in the browser (`new Razorpay(options)`).
 * Only the key id is public; the key secret never leaves the server.
 * `amount` is integer paise.
 */
export interface CheckoutOptions {
  key: string
  order_id: string
  amount: number
  currency: string
  name: string
  description: string
}

/**
 * A refund as the provider answered it: its id and status (`pending` or
 * `processed` for Razorpay).
 */
export interface ProviderRefund {
  id: string
  status: string
}

/**
 * The one door to the payment provider. With the `razorpay` driver it calls
 * Razorpay's API through the official `razorpay` SDK and checks Razorpay's
 * signatures; with the `demo` driver money "arrives" at once, outside
 * production only.
 *
 * A container singleton built from `config/payments.ts` (see
 * `providers/vending_provider.ts`); tests swap in one pointed at a fake
 * Razorpay server.
 */
export default class PaymentGateway {
  #client?: Razorpay

  constructor(protected settings: PaymentSettings = paymentsConfig) {}

  get driver(): PaymentDriverName {
    return this.settings.driver
  }

  /**
   * The public key id for Checkout (null on the demo driver).
   */
  get keyId(): string | null {
    return this.driver === 'razorpay' ? this.settings.razorpay.keyId : null
  }

  /**
   * How long a pay-per-vend payment holds its unit, in milliseconds.
   */
  get holdMs(): number {
    return this.settings.holdMs
  }

  /**
   * Most units open pay-per-vend payments from one client address may
   * hold at once (0: no cap).
   */
  get holdsPerAddress(): number {
    return this.settings.holdsPerAddress
  }

  /**
   * Razorpay's smallest charge, in paise (₹1).
   */
  static readonly MIN_AMOUNT_PAISE = 100

  /**
   * @throws VendingException (422 `amount_too_small`, naming `field`) for an
   *   amount Razorpay would refuse (under ₹1); any amount on the demo driver
   */
  assertAmount(amountPaise: number, field?: string): void {
    if (this.driver === 'razorpay' && amountPaise < PaymentGateway.MIN_AMOUNT_PAISE) {
      throw new VendingException('Card payments start at ₹1.00 (100 paise).', {
        status: 422,
        code: 'amount_too_small',
        field,
      })
    }
  }

  /**
   * @throws PaymentsUnavailableException (503) on the demo driver in
   *   production, or the razorpay driver without its keys
   */
  assertAvailable(): void {
    if (this.driver === 'demo') {
      if (app.inProduction)
        throw new PaymentsUnavailableException('The demo payment driver is disabled in production.')
      return
    }
    if (!this.settings.razorpay.keyId || !this.settings.razorpay.keySecret) {
      throw new PaymentsUnavailableException(
        'Razorpay is selected but RAZORPAY_KEY_ID / RAZORPAY_KEY_SECRET are not set.'
      )
    }
  }

  /**
   * Creates the provider's order for `amountPaise` (INR). `receipt` is our
   * own reference (`payment:<id>`), shown in Razorpay's dashboard.
   *
   * @returns the provider's order id (`order_...`, or `demo_order_...`)
   * @throws PaymentProviderException (502) when Razorpay refuses or cannot
   *   be reached
   */
  async createOrder(
    amountPaise: number,
    receipt: string,
    notes: Record<string, string> = {}
  ): Promise<string> {
    this.assertAvailable()
    if (this.driver === 'demo') return `demo_order_${randomUUID()}`
    try {
      const order = await this.client().orders.create({
        amount: amountPaise,
        currency: 'INR',
        receipt,
        notes,
      })
      return order.id
    } catch (error) {
      throw this.providerError('order', error)
    }
  }

  /**
   * Refunds a captured payment in full to the card it came from.
   *
   * @throws PaymentProviderException (502) when Razorpay refuses or cannot
   *   be reached (the caller retries later)
   */
  async refund(
    providerPaymentId: string,
    amountPaise: number,
    notes: Record<string, string> = {}
  ): Promise<ProviderRefund> {
    this.assertAvailable()
    if (this.driver === 'demo') return { id: `demo_rfnd_${randomUUID()}`, status: 'processed' }
    try {
      const refund = await this.client().payments.refund(providerPaymentId, {
        amount: amountPaise,
        notes,
      })
      return { id: refund.id, status: String(refund.status) }
    } catch (error) {
      throw this.providerError('refund', error)
    }
  }

  /**
   * A refund of this payment the provider already has (not failed), if
   * any: the answer to an earlier refund call that got lost on the way
   * back. Null on the demo driver.
   *
   * @throws PaymentProviderException (502) when Razorpay cannot be asked
   */
  async existingRefund(providerPaymentId: string): Promise<ProviderRefund | null> {
    this.assertAvailable()
    if (this.driver === 'demo') return null
    try {
      const list = await this.client().payments.fetchMultipleRefund(providerPaymentId)
      const refund = list.items.find((item) => item.status !== 'failed')
      return refund ? { id: refund.id, status: String(refund.status) } : null
    } catch (error) {
      throw this.providerError('refund lookup', error)
    }
  }

  /**
   * Checks the signature Checkout hands the browser after a payment:
   * HMAC-SHA256 of `<order_id>|<payment_id>` with the key secret (Razorpay's
   * "verify payment signature" rule). False on the demo driver.
   */
  verifyCheckout(providerOrderId: string, providerPaymentId: string, signature: string): boolean {
    const secret = this.settings.razorpay.keySecret
    if (this.driver !== 'razorpay' || !secret) return false
    return PaymentGateway.signatureMatches(
      `${providerOrderId}|${providerPaymentId}`,
      signature,
      secret
    )
  }

  /**
   * Checks `X-Razorpay-Signature`: HMAC-SHA256 of the raw request body with
   * the webhook secret. False when no webhook secret is configured.
   */
  verifyWebhook(rawBody: string, signature: string): boolean {
    const secret = this.settings.razorpay.webhookSecret
    if (!secret) return false
    return PaymentGateway.signatureMatches(rawBody, signature, secret)
  }

  /**
   * The options for Razorpay Checkout for one of our payments.
   */
  checkoutOptions(
    payment: { providerOrderId: string | null; amountPaise: number; currency: string },
    description: string
  ): CheckoutOptions {
    return {
      key: this.keyId ?? '',
      order_id: payment.providerOrderId ?? '',
      amount: payment.amountPaise,
      currency: payment.currency,
      name: this.settings.merchantName,
      description,
    }
  }

  /**
   * Compares hex HMAC-SHA256 signatures in constant time (the SDK's own
   * `validateWebhookSignature` uses `===`, which leaks timing).
   */
  static signatureMatches(data: string, signature: string, secret: string): boolean {
    const expected = createHmac('sha256', secret).update(data).digest()
    if (!/^[0-9a-f]{64}$/i.test(signature)) return false
    return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
  }

  protected client(): Razorpay {
    if (!this.#client) {
      const { keyId, keySecret, apiUrl } = this.settings.razorpay
      this.#client = new Razorpay({ key_id: keyId!, key_secret: keySecret! })
      // The SDK fixes https://api.razorpay.com; its axios instance takes
      // another origin (the fake Razorpay server of the tests).
      ;(
        this.#client.api as unknown as { rq: { defaults: { baseURL: string } } }
      ).rq.defaults.baseURL = apiUrl
    }
    return this.#client
  }

  protected providerError(action: string, error: unknown): PaymentProviderException {
    // The SDK rejects with `{ statusCode, error: { code, description } }`,
    // or a TypeError when Razorpay could not be reached at all.
    const details = error as {
      statusCode?: number
      error?: { code?: string; description?: string }
      message?: string
    }
    logger.error(
      { action, status: details?.statusCode, error: details?.error ?? details?.message },
      'razorpay call failed'
    )
    return new PaymentProviderException()
  }
}
