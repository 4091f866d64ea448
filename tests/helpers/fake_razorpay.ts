import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac, randomBytes } from 'node:crypto'

/**
 * One request the fake received, for assertions: method, path, the Basic
 * auth credentials it carried (null when none) and the parsed JSON body.
 */
export interface ReceivedRequest {
  method: string
  path: string
  auth: { user: string; password: string } | null
  body: any
}

/**
 * A Razorpay order as the fake keeps it (and as Razorpay's API answers it).
 */
export interface FakeOrder {
  id: string
  entity: 'order'
  amount: number
  amount_paid: number
  amount_due: number
  currency: string
  receipt: string | null
  offer_id: null
  status: 'created' | 'attempted' | 'paid'
  attempts: number
  notes: Record<string, string>
  created_at: number
}

/**
 * A payment the shopper made in Checkout, as Razorpay's payment entity.
 */
export interface FakePayment {
  id: string
  entity: 'payment'
  amount: number
  currency: string
  status: 'captured' | 'failed' | 'refunded'
  order_id: string
  invoice_id: null
  international: false
  method: 'card'
  amount_refunded: number
  refund_status: null | 'partial' | 'full'
  captured: boolean
  description: string
  card_id: string
  bank: null
  wallet: null
  vpa: null
  email: string
  contact: string
  notes: Record<string, string>
  fee: number
  tax: number
  error_code: string | null
  error_description: string | null
  error_source: string | null
  error_step: string | null
  error_reason: string | null
  acquirer_data: Record<string, string | null>
  created_at: number
}

/**
 * A refund, as Razorpay's refund entity.
 */
export interface FakeRefund {
  id: string
  entity: 'refund'
  amount: number
  currency: string
  payment_id: string
  notes: Record<string, string>
  receipt: null
  acquirer_data: { arn: string | null }
  created_at: number
  batch_id: null
  status: 'pending' | 'processed' | 'failed'
  speed_processed: 'normal'
  speed_requested: 'normal'
}

/**
 * What Checkout hands the browser after a successful payment (and what
 * `POST /api/v1/payments/verify` takes).
 */
export interface CheckoutResponse {
  razorpay_order_id: string
  razorpay_payment_id: string
  razorpay_signature: string
}

/**
 * A webhook delivery as Razorpay sends it: the exact body bytes and the
 * headers (`X-Razorpay-Signature` is HMAC-SHA256 of the body with the
 * webhook secret, hex).
 */
export interface WebhookDelivery {
  eventId: string
  body: string
  headers: { 'content-type': string; 'x-razorpay-signature': string; 'x-razorpay-event-id': string }
}

/**
 * How the next matching call fails: `status` answers that HTTP status with
 * Razorpay's error JSON; `reset` destroys the socket without an answer (the
 * SDK then sees a network error, as when Razorpay cannot be reached);
 * `lost_answer` does the work (creates the order or refund) and then
 * destroys the socket, as when the answer is lost on the way back.
 */
export type FakeFailure =
  { kind: 'status'; status: number } | { kind: 'reset' } | { kind: 'lost_answer' }

/**
 * Which API calls a failure applies to.
 */
export type FakeEndpoint = 'orders' | 'refunds' | 'any'

/**
 * What the fake answers one call with.
 */
interface FakeAnswer {
  status: number
  body: unknown
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A Razorpay-style id: the prefix, `_`, and 14 letters and digits.
 */
export function razorpayId(prefix: string): string {
  const bytes = randomBytes(14)
  return `${prefix}_${Array.from(bytes, (byte) => ALNUM[byte % ALNUM.length]).join('')}`
}

/**
 * HMAC-SHA256 of `data` with `secret`, hex: Razorpay's signature for
 * Checkout (`order_id|payment_id`, key secret) and webhooks (raw body,
 * webhook secret).
 */
export function hmacHex(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('hex')
}

const now = () => Math.floor(Date.now() / 1000)

/**
 * A fake of the part of Razorpay's REST API that the official `razorpay`
 * SDK calls for us, on a real HTTP server (127.0.0.1, a free port), plus
 * what Razorpay itself would do outside our API calls: take a payment in
 * Checkout, sign the Checkout response with the key secret, and send
 * signed webhooks.
 *
 * API: `POST /v1/orders` (Basic auth with the key id and secret; `amount`
 * an integer of at least 100 paise, Razorpay's minimum) and `POST
 * /v1/payments/:id/refund` (refuses refunding more than was captured and not
 * yet refunded). Errors use Razorpay's shape `{ error: { code, description,
 * ... } }`. `failNext` makes the next calls fail; `requests` logs every call.
 */
export class FakeRazorpay {
  readonly keyId = 'rzp_test_FakeKeyId00001'
  readonly keySecret = `fake_key_secret_${randomBytes(12).toString('hex')}`
  readonly webhookSecret = `fake_webhook_secret_${randomBytes(12).toString('hex')}`
  readonly accountId = 'acc_FakeAccount00001'

  readonly requests: ReceivedRequest[] = []
  readonly orders = new Map<string, FakeOrder>()
  readonly payments = new Map<string, FakePayment>()
  readonly refunds = new Map<string, FakeRefund>()

  /** The status new refunds get: Razorpay answers `processed` or `pending`. */
  refundStatus: 'processed' | 'pending' = 'processed'

  #server?: Server
  #failures: { endpoint: FakeEndpoint; failure: FakeFailure }[] = []

  /**
   * Base URL (`http://127.0.0.1:<port>`), for `PaymentSettings.razorpay.apiUrl`.
   */
  get url(): string {
    const address = this.#server?.address() as AddressInfo | null
    if (!address) throw new Error('the fake Razorpay server is not listening')
    return `http://127.0.0.1:${address.port}`
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error) => {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({ error: { code: 'SERVER_ERROR', description: String(error) } })
        )
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    return this
  }

  async close(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /**
   * Forgets every order, payment, refund, logged request and pending
   * failure, and makes refunds `processed` again (between tests).
   */
  reset(): void {
    this.requests.length = 0
    this.orders.clear()
    this.payments.clear()
    this.refunds.clear()
    this.#failures = []
    this.refundStatus = 'processed'
  }

  /**
   * Makes the next `count` calls to `endpoint` fail with `failure`.
   */
  failNext(
    endpoint: FakeEndpoint,
    failure: FakeFailure = { kind: 'status', status: 500 },
    count = 1
  ): void {
    for (let i = 0; i < count; i++) this.#failures.push({ endpoint, failure })
  }

  /**
   * The logged calls to `POST /v1/payments/<paymentId>/refund`.
   */
  refundCalls(paymentId?: string): ReceivedRequest[] {
    return this.requests.filter(
      (request) =>
        request.method === 'POST' &&
        (paymentId
          ? request.path === `/v1/payments/${paymentId}/refund`
          : /^\/v1\/payments\/[^/]+\/refund$/.test(request.path))
    )
  }

  /**
   * The logged calls to `POST /v1/orders`.
   */
  orderCalls(): ReceivedRequest[] {
    return this.requests.filter(
      (request) => request.method === 'POST' && request.path === '/v1/orders'
    )
  }

  /**
   * The shopper pays order `orderId` in Checkout: a captured payment of
   * the order's amount; the order becomes `paid`.
   *
   * @throws Error for an order the fake never created
   */
  pay(orderId: string): FakePayment {
    const order = this.#order(orderId)
    order.attempts++
    const payment = this.#payment(order, 'captured')
    order.status = 'paid'
    order.amount_paid = order.amount
    order.amount_due = 0
    return payment
  }

  /**
   * A failed attempt on order `orderId` (declined card): the order stays
   * `attempted`.
   */
  decline(orderId: string): FakePayment {
    const order = this.#order(orderId)
    order.attempts++
    if (order.status === 'created') order.status = 'attempted'
    return this.#payment(order, 'failed')
  }

  /**
   * Checkout's success response for `payment`, signed with the key secret
   * (`secret` to forge one with another key).
   */
  checkoutResponse(
    payment: Pick<FakePayment, 'id' | 'order_id'>,
    secret: string = this.keySecret
  ): CheckoutResponse {
    return {
      razorpay_order_id: payment.order_id,
      razorpay_payment_id: payment.id,
      razorpay_signature: hmacHex(`${payment.order_id}|${payment.id}`, secret),
    }
  }

  /**
   * The shopper pays order `orderId` and the browser comes back with
   * Checkout's signed response.
   */
  simulateCheckout(orderId: string): CheckoutResponse & { payment: FakePayment } {
    const payment = this.pay(orderId)
    return { ...this.checkoutResponse(payment), payment }
  }

  /**
   * A webhook delivery in Razorpay's shape: `{ entity: 'event', account_id,
   * event, contains, payload: { payment: { entity }, order: { entity },
   * refund: { entity } }, created_at }`, signed with the webhook secret (or
   * `options.secret`), with a fresh `X-Razorpay-Event-Id` unless given.
   * Entities are snapshots, as Razorpay's are. `created_at` (unix seconds)
   * is now unless `options.createdAt` says otherwise.
   */
  webhook(
    event: string,
    entities: { payment?: FakePayment; order?: FakeOrder; refund?: FakeRefund },
    options: { eventId?: string; secret?: string; createdAt?: number } = {}
  ): WebhookDelivery {
    const payload: Record<string, { entity: unknown }> = {}
    // Razorpay lists refund before payment, and payment before order.
    if (entities.refund) payload.refund = { entity: structuredClone(entities.refund) }
    if (entities.payment) payload.payment = { entity: structuredClone(entities.payment) }
    if (entities.order) payload.order = { entity: structuredClone(entities.order) }
    const body = JSON.stringify({
      entity: 'event',
      account_id: this.accountId,
      event,
      contains: Object.keys(payload),
      payload,
      created_at: options.createdAt ?? now(),
    })
    const eventId = options.eventId ?? razorpayId('evt')
    return {
      eventId,
      body,
      headers: {
        'content-type': 'application/json',
        'x-razorpay-signature': hmacHex(body, options.secret ?? this.webhookSecret),
        'x-razorpay-event-id': eventId,
      },
    }
  }

  /**
   * `payment.captured` for `payment` (contains the payment only).
   */
  paymentCaptured(payment: FakePayment, options?: { eventId?: string }): WebhookDelivery {
    return this.webhook('payment.captured', { payment }, options)
  }

  /**
   * `order.paid` for `payment` (contains the payment and its order).
   */
  orderPaid(payment: FakePayment, options?: { eventId?: string }): WebhookDelivery {
    return this.webhook('order.paid', { payment, order: this.#order(payment.order_id) }, options)
  }

  /**
   * `payment.failed` for a declined attempt.
   */
  paymentFailed(payment: FakePayment, options?: { eventId?: string }): WebhookDelivery {
    return this.webhook('payment.failed', { payment }, options)
  }

  /**
   * `refund.created` / `refund.processed` / `refund.failed` for `refund`
   * (contains the refund and its payment), created `options.createdAt`
   * (unix seconds; default now).
   */
  refundEvent(
    event: 'refund.created' | 'refund.processed' | 'refund.failed',
    refund: FakeRefund,
    options: { createdAt?: number } = {}
  ): WebhookDelivery {
    if (event === 'refund.processed') refund.status = 'processed'
    if (event === 'refund.failed') refund.status = 'failed'
    return this.webhook(event, { refund, payment: this.payments.get(refund.payment_id) }, options)
  }

  #order(orderId: string): FakeOrder {
    const order = this.orders.get(orderId)
    if (!order) throw new Error(`the fake Razorpay has no order ${orderId}`)
    return order
  }

  #payment(order: FakeOrder, status: 'captured' | 'failed'): FakePayment {
    const failed = status === 'failed'
    const payment: FakePayment = {
      id: razorpayId('pay'),
      entity: 'payment',
      amount: order.amount,
      currency: order.currency,
      status,
      order_id: order.id,
      invoice_id: null,
      international: false,
      method: 'card',
      amount_refunded: 0,
      refund_status: null,
      captured: !failed,
      description: 'Vendora',
      card_id: razorpayId('card'),
      bank: null,
      wallet: null,
      vpa: null,
      email: 'shopper@example.com',
      contact: '+919900000000',
      notes: {},
      fee: failed ? 0 : Math.ceil(order.amount * 0.02),
      tax: failed ? 0 : Math.ceil(order.amount * 0.0036),
      error_code: failed ? 'BAD_REQUEST_ERROR' : null,
      error_description: failed ? 'Your payment has been declined by the bank.' : null,
      error_source: failed ? 'customer' : null,
      error_step: failed ? 'payment_authorization' : null,
      error_reason: failed ? 'payment_declined' : null,
      acquirer_data: { auth_code: failed ? null : '123456' },
      created_at: now(),
    }
    this.payments.set(payment.id, payment)
    return payment
  }

  async #handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = (request.url ?? '/').split('?')[0]
    let body: any = null
    try {
      body = raw ? JSON.parse(raw) : null
    } catch {
      body = raw
    }
    const auth = FakeRazorpay.#basicAuth(request.headers.authorization)
    this.requests.push({ method: request.method ?? 'GET', path, auth, body })

    const refundPath = /^\/v1\/payments\/([^/]+)\/refund$/.exec(path)
    const refundListPath = /^\/v1\/payments\/([^/]+)\/refunds$/.exec(path)
    const endpoint: FakeEndpoint = path === '/v1/orders' ? 'orders' : refundPath ? 'refunds' : 'any'
    const index = this.#failures.findIndex(
      (entry) => entry.endpoint === 'any' || entry.endpoint === endpoint
    )
    const failure = index >= 0 ? this.#failures.splice(index, 1)[0].failure : null
    if (failure?.kind === 'reset') {
      request.socket.destroy()
      return
    }

    let answer: FakeAnswer
    if (failure?.kind === 'status') {
      answer = FakeRazorpay.#error(
        failure.status,
        'SERVER_ERROR',
        'The server encountered an error. The incident has been reported to admins.'
      )
    } else if (!auth || auth.user !== this.keyId || auth.password !== this.keySecret) {
      answer = FakeRazorpay.#error(401, 'BAD_REQUEST_ERROR', 'Authentication failed')
    } else if (request.method === 'POST' && endpoint === 'orders') {
      answer = this.#createOrder(body)
    } else if (request.method === 'POST' && refundPath) {
      answer = this.#createRefund(refundPath[1], body)
    } else if (request.method === 'GET' && refundListPath) {
      const items = [...this.refunds.values()].filter(
        (refund) => refund.payment_id === refundListPath[1]
      )
      answer = { status: 200, body: { entity: 'collection', count: items.length, items } }
    } else {
      answer = FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The requested URL was not found on the server.'
      )
    }

    if (failure?.kind === 'lost_answer') {
      request.socket.destroy()
      return
    }
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' })
    response.end(JSON.stringify(answer.body))
  }

  #createOrder(body: any): FakeAnswer {
    const amount = body?.amount
    if (!Number.isInteger(amount)) {
      return FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The amount must be an integer.',
        'amount'
      )
    }
    if (amount < 100) {
      return FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The amount must be atleast INR 1.00',
        'amount'
      )
    }
    if (body.currency !== 'INR') {
      return FakeRazorpay.#error(400, 'BAD_REQUEST_ERROR', 'The currency is invalid.', 'currency')
    }
    const order: FakeOrder = {
      id: razorpayId('order'),
      entity: 'order',
      amount,
      amount_paid: 0,
      amount_due: amount,
      currency: body.currency,
      receipt: body.receipt ?? null,
      offer_id: null,
      status: 'created',
      attempts: 0,
      notes: body.notes ?? {},
      created_at: now(),
    }
    this.orders.set(order.id, order)
    return { status: 200, body: order }
  }

  #createRefund(paymentId: string, body: any): FakeAnswer {
    const payment = this.payments.get(paymentId)
    if (!payment)
      return FakeRazorpay.#error(400, 'BAD_REQUEST_ERROR', 'The id provided does not exist')
    if (payment.status === 'failed' || !payment.captured) {
      return FakeRazorpay.#error(400, 'BAD_REQUEST_ERROR', 'Payment has not been captured')
    }
    const refundable = payment.amount - payment.amount_refunded
    const amount = body?.amount ?? refundable
    if (!Number.isInteger(amount) || amount < 100) {
      return FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The amount must be atleast INR 1.00',
        'amount'
      )
    }
    if (refundable === 0) {
      return FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The payment has been fully refunded already'
      )
    }
    if (amount > refundable) {
      return FakeRazorpay.#error(
        400,
        'BAD_REQUEST_ERROR',
        'The refund amount provided is greater than amount captured',
        'amount'
      )
    }
    payment.amount_refunded += amount
    payment.refund_status = payment.amount_refunded === payment.amount ? 'full' : 'partial'
    if (payment.amount_refunded === payment.amount) payment.status = 'refunded'
    const refund: FakeRefund = {
      id: razorpayId('rfnd'),
      entity: 'refund',
      amount,
      currency: payment.currency,
      payment_id: payment.id,
      notes: body?.notes ?? {},
      receipt: null,
      acquirer_data: { arn: null },
      created_at: now(),
      batch_id: null,
      status: this.refundStatus,
      speed_processed: 'normal',
      speed_requested: 'normal',
    }
    this.refunds.set(refund.id, refund)
    return { status: 200, body: refund }
  }

  static #error(
    status: number,
    code: string,
    description: string,
    field: string | null = null
  ): FakeAnswer {
    return {
      status,
      body: {
        error: {
          code,
          description,
          source: 'business',
          step: 'payment_initiation',
          reason: 'input_validation_failed',
          field,
          metadata: {},
        },
      },
    }
  }

  static #basicAuth(header: string | undefined): { user: string; password: string } | null {
    const match = /^Basic (.+)$/.exec(header ?? '')
    if (!match) return null
    const decoded = Buffer.from(match[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
}
