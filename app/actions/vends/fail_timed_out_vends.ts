import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import { VEND_TIMEOUT_REASON } from '#enums/vend_result'
import Order from '#models/order'
import SettleVend from '#actions/vends/settle_vend'
import { dbTimestamp } from '#services/db_helpers'

/**
 * Fails and refunds every order that has awaited a vend result too long, so
 * no shopper pays for an item that never came (an operator's free test
 * vend is only failed). Run periodically by `VendSweeper`.
 *
 * - A `pending` order (its command never left the server) times out
 *   `VEND_TIMEOUT_MS` (default 60 s) after it was paid.
 * - A `dispensing` order's command carries a deadline, `expires_at` = its
 *   dispatch time plus `VEND_TIMEOUT_MS` (`Order#vendExpiresAt`): the
 *   device starts no motor past it, and the server sends the command no
 *   more. The refund waits `VEND_RESULT_GRACE_MS` (15 s) longer for a vend
 *   that started just before the deadline, so an item never drops after
 *   its order was refunded (firmware/PROTOCOL.md §7).
 */
@inject()
export default class FailTimedOutVends {
  constructor(protected settleVend: SettleVend) {}

  /**
   * @param now the sweep's clock (tests pass a later time instead of waiting)
   * @returns how many orders were failed (and refunded, when paid)
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    const client = db.connection()
    const paidBefore = dbTimestamp(client, now.minus({ milliseconds: vendingConfig.vendTimeoutMs }))
    const dispatchedBefore = dbTimestamp(
      client,
      now.minus({ milliseconds: vendingConfig.vendTimeoutMs + vendingConfig.vendResultGraceMs })
    )
    const stale = await Order.query()
      .where((query) =>
        query
          .where((pending) =>
            pending.where('status', OrderStatus.Pending).where('created_at', '<', paidBefore)
          )
          .orWhere((sent) =>
            sent
              .where('status', OrderStatus.Dispensing)
              .where('dispatched_at', '<', dispatchedBefore)
          )
      )
      .orderBy('id')
      .limit(500)

    let failed = 0
    for (const order of stale) {
      const outcome = await this.settleVend.handle(order, VEND_TIMEOUT_REASON)
      if (outcome === 'refunded' || outcome === 'failed') failed++
    }
    return failed
  }
}
