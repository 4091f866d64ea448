import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  CARD_REFUND_TRANSITIONS,
  CardRefundStatus,
  canTransitionCardRefund,
  cardRefundSources,
} from '#enums/card_refund_status'
import Payment from '#models/payment'
import InvalidCardRefundTransitionException from '#exceptions/invalid_card_refund_transition_exception'

test.group('Card refund status transitions', () => {
  test('allow exactly the documented life of a card refund', ({ assert }) => {
    const statuses = [null, ...Object.values(CardRefundStatus)]
    const allowed = statuses.flatMap((from) =>
      Object.values(CardRefundStatus)
        .filter((to) => canTransitionCardRefund(from, to))
        .map((to) => `${from ?? 'none'}→${to}`)
    )
    assert.sameMembers(allowed, [
      'none→pending',
      'pending→sending',
      'pending→sent',
      'pending→processed',
      'pending→failed',
      'sending→sent',
      'sending→processed',
      'sending→pending',
      'sending→failed',
      'sent→processed',
      'sent→failed',
    ])
  })

  test('make processed and failed final', ({ assert }) => {
    assert.deepEqual(CARD_REFUND_TRANSITIONS[CardRefundStatus.Processed], [])
    assert.deepEqual(CARD_REFUND_TRANSITIONS[CardRefundStatus.Failed], [])
    assert.notInclude(cardRefundSources(CardRefundStatus.Failed), CardRefundStatus.Processed)
  })

  test('refuse a move the table does not list before touching the database', async ({ assert }) => {
    await assert.rejects(
      () =>
        Payment.transitionRefund(
          db.connection(),
          1,
          CardRefundStatus.Processed,
          CardRefundStatus.Failed
        ),
      InvalidCardRefundTransitionException
    )
    await assert.rejects(
      () => Payment.transitionRefund(db.connection(), 1, null, CardRefundStatus.Sent),
      InvalidCardRefundTransitionException
    )
  })
})
