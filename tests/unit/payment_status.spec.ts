import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  CAPTURABLE,
  PAYMENT_TRANSITIONS,
  PaymentStatus,
  canTransitionPayment,
  paymentSources,
} from '#enums/payment_status'
import Payment from '#models/payment'
import InvalidPaymentTransitionException from '#exceptions/invalid_payment_transition_exception'

/**
 * Every `from→to` pair of two distinct statuses, and the self-moves.
 */
const ALL_MOVES = Object.values(PaymentStatus).flatMap((from) =>
  Object.values(PaymentStatus).map((to) => ({ from, to }))
)

/**
 * The moves the code makes today: capture from an open, failed or expired
 * payment (late money is honoured), and an open hold released as failed or
 * expired.
 */
const ALLOWED = ['created→paid', 'created→failed', 'created→expired', 'failed→paid', 'expired→paid']

test.group('Payment status transitions', () => {
  test('allow exactly the documented life of a payment', ({ assert }) => {
    const allowed = ALL_MOVES.filter(({ from, to }) => canTransitionPayment(from, to)).map(
      ({ from, to }) => `${from}→${to}`
    )
    assert.sameMembers(allowed, ALLOWED)
  })

  test('refuse {from}→{to}')
    .with(ALL_MOVES.filter(({ from, to }) => !ALLOWED.includes(`${from}→${to}`)))
    .run(({ assert }, { from, to }) => {
      assert.isFalse(canTransitionPayment(from, to))
    })

  test('make paid final and never lead back to created', ({ assert }) => {
    assert.deepEqual(PAYMENT_TRANSITIONS[PaymentStatus.Paid], [])
    assert.deepEqual(paymentSources(PaymentStatus.Created), [])
  })

  test('capture from exactly the statuses that may become paid', ({ assert }) => {
    assert.sameMembers(
      [...CAPTURABLE],
      [PaymentStatus.Created, PaymentStatus.Failed, PaymentStatus.Expired]
    )
    assert.sameMembers([...CAPTURABLE], paymentSources(PaymentStatus.Paid))
  })

  test('refuse {from}→{to} before touching the database')
    .with(ALL_MOVES.filter(({ from, to }) => !ALLOWED.includes(`${from}→${to}`)))
    .run(async ({ assert }, { from, to }) => {
      await assert.rejects(
        () => Payment.transition(db.connection(), 1, from, to),
        InvalidPaymentTransitionException
      )
    })
})
