import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { PaymentStatus } from '#enums/payment_status'
import ReleasePaymentHold from '#actions/payments/release_payment_hold'
import { dbTimestamp } from '#services/db_helpers'

/**
 * Gives back the units held by pay-per-vend payments nobody paid within
 * the hold time (`PAYMENT_HOLD_MS`, default 3 min): `created → expired`,
 * stock +1, each in its own transaction. Run by the vend sweeper.
 *
 * A payment that arrives after its hold expired is still honoured
 * (`CapturePayment` takes a unit again, or refunds to the card).
 */
export default class ExpirePaymentHolds {
  /**
   * @returns how many holds were released
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    const due = await db
      .from('payments')
      .where('status', PaymentStatus.Created)
      .where('stock_held', true)
      .where('hold_expires_at', '<', dbTimestamp(db.connection(), now))
      .orderBy('id')
      .limit(100)
      .select('id')

    let released = 0
    for (const row of due) {
      const done = await db.transaction((trx) =>
        ReleasePaymentHold.releaseWithin(trx, { id: row.id }, PaymentStatus.Expired, 'hold_expired')
      )
      if (done) released++
    }
    return released
  }
}
