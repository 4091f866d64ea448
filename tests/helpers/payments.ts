import type { Group } from '@japa/runner/core'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import paymentsConfig, { type PaymentSettings } from '#config/payments'
import PaymentGateway from '#services/payment_gateway'
import VendSweeper from '#jobs/vend_sweeper'
import {
  FakeRazorpay,
  type CheckoutResponse,
  type WebhookDelivery,
} from '#tests/helpers/fake_razorpay'

/**
 * How long a test pay-per-vend payment holds its unit: long enough that
 * nothing expires during a test unless the test says so
 * (`ExpirePaymentHolds.handle(later)`).
 */
export const TEST_HOLD_MS = 10 * 60_000

/**
 * The settings of a `PaymentGateway` on the `razorpay` driver pointed at
 * `fake`, with `overrides` on top (e.g. `{ razorpay: { keyId: null } }`).
 * The per-address cap on held units is the configured one (.env.test
 * leaves it at its default).
 */
export function fakeRazorpaySettings(
  fake: FakeRazorpay,
  overrides: Partial<Omit<PaymentSettings, 'razorpay'>> & {
    razorpay?: Partial<PaymentSettings['razorpay']>
  } = {}
): PaymentSettings {
  return {
    driver: 'razorpay',
    holdMs: TEST_HOLD_MS,
    holdsPerAddress: paymentsConfig.holdsPerAddress,
    merchantName: 'Vendora',
    ...overrides,
    razorpay: {
      keyId: fake.keyId,
      keySecret: fake.keySecret,
      webhookSecret: fake.webhookSecret,
      apiUrl: fake.url,
      ...overrides.razorpay,
    },
  }
}

/**
 * Runs `group` against a fake Razorpay (a real HTTP server on a free
 * port): starts it, swaps the container's `PaymentGateway` for a real one
 * on the `razorpay` driver whose SDK talks to the fake (signatures are
 * checked by the real code with the fake's secrets), and forgets the fake's
 * state before each test.
 *
 * The swap reaches everything resolved from the container after it: the
 * controllers' `@inject()` actions and the `payment:refund_due` listener.
 * It does not reach the `VendSweeper` singleton, built with the gateway of
 * `.env.test` (demo) when the test server started; the sweeper is stopped
 * for the group so that it cannot send a card refund through the demo
 * gateway, and tests run its jobs themselves (`app.container.make(...)`).
 *
 * @returns the fake (listening once the group's setup ran)
 */
export function useFakeRazorpay(group: Group): FakeRazorpay {
  const fake = new FakeRazorpay()
  group.setup(async () => {
    await fake.start()
    const gateway = new PaymentGateway(fakeRazorpaySettings(fake))
    app.container.swap(PaymentGateway, () => gateway)
    const sweeper = await app.container.make(VendSweeper)
    await sweeper.stop()
    return async () => {
      app.container.restore(PaymentGateway)
      sweeper.start()
      await fake.close()
    }
  })
  group.each.setup(() => fake.reset())
  return fake
}

/**
 * For one test: the container's `PaymentGateway` becomes one built from
 * `settings`; the test's cleanup puts back the one pointed at `fake`.
 */
export function useGatewayForTest(
  settings: PaymentSettings,
  fake: FakeRazorpay,
  cleanup: (handler: () => void | Promise<void>) => void
): PaymentGateway {
  const gateway = new PaymentGateway(settings)
  app.container.swap(PaymentGateway, () => gateway)
  cleanup(() => {
    const original = new PaymentGateway(fakeRazorpaySettings(fake))
    app.container.swap(PaymentGateway, () => original)
  })
  return gateway
}

/**
 * Delivers a webhook to `POST /webhooks/razorpay` with its exact body
 * bytes and headers (`omit` leaves headers out, e.g. the signature).
 */
export function deliver(
  client: ApiClient,
  delivery: Pick<WebhookDelivery, 'body'> & { headers: Record<string, string> },
  omit: string[] = []
) {
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).filter(([name]) => !omit.includes(name))
  )
  return client.post('/webhooks/razorpay').headers(headers).unsafeJson(delivery.body)
}

/**
 * `POST /api/v1/payments/verify` with what Checkout handed the browser.
 */
export function verify(client: ApiClient, token: string, response: CheckoutResponse) {
  // Only the signed fields (Razorpay's wire names): a caller may pass simulateCheckout()'s result, payment row and all.
  return client.post('/api/v1/payments/verify').bearerToken(token).json({
    razorpay_order_id: response.razorpay_order_id,
    razorpay_payment_id: response.razorpay_payment_id,
    razorpay_signature: response.razorpay_signature,
  })
}

/**
 * A payment row as stored, numbers as numbers.
 */
export async function paymentRow(id: number) {
  const row = await db.from('payments').where('id', id).firstOrFail()
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    purpose: row.purpose as string,
    status: row.status as string,
    amountPaise: Number(row.amount_paise),
    providerOrderId: row.provider_order_id as string | null,
    providerPaymentId: row.provider_payment_id as string | null,
    stockHeld: Boolean(row.stock_held),
    failureReason: row.failure_reason as string | null,
    refundStatus: row.refund_status as string | null,
    providerRefundId: row.provider_refund_id as string | null,
    refundError: row.refund_error as string | null,
  }
}

/**
 * Every stored webhook event, oldest first.
 */
export async function paymentEvents() {
  const rows = await db.from('payment_events').orderBy('id')
  return rows.map((row) => ({
    eventId: row.event_id as string,
    event: row.event as string,
    outcome: row.outcome as string,
    deliveries: Number(row.deliveries),
    paymentId: row.payment_id === null ? null : Number(row.payment_id),
    providerOrderId: row.provider_order_id as string | null,
    providerPaymentId: row.provider_payment_id as string | null,
    payload: row.payload as string,
    error: row.error as string | null,
    processed: row.processed_at !== null,
  }))
}

/**
 * How many rows `table` has.
 */
export async function countRows(table: string): Promise<number> {
  const row = await db.from(table).count('* as total').first()
  return Number(row.total)
}

/**
 * Opens a Razorpay top-up of `amountPaise` for `shopper` through the API.
 *
 * @returns our payment id and the Razorpay order id Checkout would pay
 */
export async function openTopUp(
  client: ApiClient,
  shopper: { user: { id: number }; token: string },
  amountPaise: number
) {
  const response = await client
    .post(`/api/v1/users/${shopper.user.id}/add_balance`)
    .bearerToken(shopper.token)
    .json({ amount_paise: amountPaise })
  response.assertStatus(201)
  return {
    paymentId: response.body().payment.id as number,
    orderId: response.body().checkout.order_id as string,
  }
}
