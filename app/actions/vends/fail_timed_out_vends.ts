import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { AWAITING_RESULT } from '#enums/order_status'
import { VEND_TIMEOUT_REASON } from '#enums/vend_result'
import Order from '#models/order'
import SettleVend from '#actions/vends/settle_vend'
import { dbTimestamp } from '#services/db_helpers'

/**
 * Fails and refunds every order that has awaited a vend result for longer
 * than `VEND_TIMEOUT_MS` (default 60 s) since it was paid, so no shopper
 * pays for an item that never came (an operator's free test vend is only
 * failed). Run periodically by `VendSweeper`.
 */
@inject()
export default class FailTimedOutVends {
  constructor(protected settleVend: SettleVend) {}

  /**
   * @param now the sweep's clock (tests pass a later time instead of waiting)
   * @returns how many orders were failed (and refunded, when paid)
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    const cutoff = now.minus({ milliseconds: vendingConfig.vendTimeoutMs })
    const stale = await Order.query()
      .whereIn('status', [...AWAITING_RESULT])
      .where('created_at', '<', dbTimestamp(db.connection(), cutoff))
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
