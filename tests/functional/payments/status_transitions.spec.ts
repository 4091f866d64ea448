import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { CAPTURABLE, PaymentStatus } from '#enums/payment_status'
import Payment from '#models/payment'
import InvalidPaymentTransitionException from '#exceptions/invalid_payment_transition_exception'
import { PaymentFactory } from '#database/factories/payment_factory'
import { createShopper } from '#tests/helpers/shopper'

/**
 * `Payment.transition` against a real database: the one way a payment's
 * status changes, refusing what `PAYMENT_TRANSITIONS` does not list and
 * moving a row only from the status it is really in.
 */
test.group('Payment status moves', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('refuses to move a paid payment back to failed and leaves the row as it was', async ({
    assert,
  }) => {
    const { user } = await createShopper()
    const payment = await PaymentFactory.merge({ userId: user.id }).create()
    const before = await db.from('payments').where('id', payment.id).first()

    await assert.rejects(
      () =>
        Payment.transition(db.connection(), payment.id, PaymentStatus.Paid, PaymentStatus.Failed, {
          failure_reason: 'cancelled',
        }),
      InvalidPaymentTransitionException
    )

    assert.deepEqual(await db.from('payments').where('id', payment.id).first(), before)
  })

  test('refuses to reopen a failed payment', async ({ assert }) => {
    const { user } = await createShopper()
    const payment = await PaymentFactory.apply('failed').merge({ userId: user.id }).create()

    await assert.rejects(
      () =>
        Payment.transition(
          db.connection(),
          payment.id,
          PaymentStatus.Failed,
          PaymentStatus.Created
        ),
      InvalidPaymentTransitionException
    )
    assert.equal((await Payment.findOrFail(payment.id)).status, PaymentStatus.Failed)
  })

  test('releases only an open payment: a paid one is not moved to failed', async ({ assert }) => {
    const { user } = await createShopper()
    const payment = await PaymentFactory.merge({ userId: user.id }).create()

    const moved = await Payment.transition(
      db.connection(),
      payment.id,
      PaymentStatus.Created,
      PaymentStatus.Failed,
      {
        failure_reason: 'cancelled',
      }
    )

    assert.isFalse(moved)
    await payment.refresh()
    assert.equal(payment.status, PaymentStatus.Paid)
    assert.isNull(payment.failureReason)
  })

  test('captures a failed payment late, once, stamping paid_at', async ({ assert }) => {
    const { user } = await createShopper()
    const payment = await PaymentFactory.apply('failed')
      .merge({ userId: user.id, providerPaymentId: null })
      .create()

    const capture = () =>
      Payment.transition(db.connection(), payment.id, CAPTURABLE, PaymentStatus.Paid, {
        provider_payment_id: 'pay_LateButWelcome1',
      })

    assert.isTrue(await capture())
    assert.isFalse(await capture(), 'a second report finds it paid already')
    await payment.refresh()
    assert.equal(payment.status, PaymentStatus.Paid)
    assert.equal(payment.providerPaymentId, 'pay_LateButWelcome1')
    assert.isNotNull(payment.paidAt)
  })

  test('a cancel of a paid payment over the API leaves it paid', async ({ client, assert }) => {
    const { user, token } = await createShopper()
    const payment = await PaymentFactory.merge({ userId: user.id }).create()

    const response = await client.post(`/api/v1/payments/${payment.id}/cancel`).bearerToken(token)

    response.assertStatus(200)
    assert.containsSubset(response.body().payment, { id: payment.id, status: PaymentStatus.Paid })
    assert.equal((await Payment.findOrFail(payment.id)).status, PaymentStatus.Paid)
  })
})
