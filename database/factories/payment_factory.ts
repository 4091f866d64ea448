import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import { PaymentStatus } from '#enums/payment_status'
import { PaymentPurpose } from '#enums/payment_purpose'
import Payment from '#models/payment'
import PaymentEvent from '#models/payment_event'

/**
 * Payments written directly, for the panel's lists: give `userId` with
 * `.merge()` (and `machineId`, `slotId`, `productId` for the `vend`
 * state). A paid ₹50 Razorpay wallet top-up with fresh order and payment
 * ids unless told otherwise. No money moves: the ledger is not touched.
 *
 * States: `vend` (pay per vend), `created` (checkout open, not paid, no
 * payment id yet), `failed`.
 */
export const PaymentFactory = factory
  .define(Payment, ({ faker }) => ({
    purpose: PaymentPurpose.TopUp,
    provider: 'razorpay',
    amountPaise: 5000,
    currency: 'INR',
    status: PaymentStatus.Paid,
    // Razorpay ids: a prefix and 14 letters and digits.
    providerOrderId: `order_${faker.string.alphanumeric(14)}`,
    providerPaymentId: `pay_${faker.string.alphanumeric(14)}`,
    idempotencyKey: null,
    stockHeld: false,
    paidAt: DateTime.now(),
  }))
  .state('vend', (payment) => {
    payment.purpose = PaymentPurpose.Vend
  })
  .state('created', (payment) => {
    payment.status = PaymentStatus.Created
    payment.providerPaymentId = null
    payment.paidAt = null
  })
  .state('failed', (payment) => {
    payment.status = PaymentStatus.Failed
    payment.paidAt = null
    payment.failureReason = 'BAD_REQUEST_ERROR: Payment failed'
  })
  .build()

/**
 * Webhook deliveries written directly: give the Razorpay ids (and usually
 * `paymentId`) with `.merge()`. A `payment.captured` event handled with
 * outcome `credited`, delivered once, with a fresh event id. When no
 * `payload` is given, one shaped like Razorpay's is built from the event's
 * ids at create time.
 */
export const PaymentEventFactory = factory
  .define(PaymentEvent, ({ faker }) => ({
    provider: 'razorpay',
    eventId: `evt_${faker.string.alphanumeric(14)}`,
    event: 'payment.captured',
    providerOrderId: null,
    providerPaymentId: null,
    paymentId: null,
    payload: '',
    outcome: 'credited',
    error: null,
    deliveries: 1,
    receivedAt: DateTime.now(),
    processedAt: DateTime.now(),
  }))
  .before('create', (_, event) => {
    if (event.payload) return
    event.payload = JSON.stringify({
      entity: 'event',
      account_id: 'acc_TestAccount0001',
      event: event.event,
      contains: ['payment'],
      payload: {
        payment: {
          entity: {
            id: event.providerPaymentId,
            entity: 'payment',
            amount: 5000,
            currency: 'INR',
            status: 'captured',
            order_id: event.providerOrderId,
          },
        },
      },
      created_at: Math.floor(event.receivedAt.toSeconds()),
    })
  })
  .build()
