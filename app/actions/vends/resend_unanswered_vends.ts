import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import DispatchVend from '#actions/vends/dispatch_vend'
import { dbTimestamp } from '#services/db_helpers'

/**
 * Sends again the command of every order that has been `dispensing` for
 * `VEND_RESEND_MS` (default 10 s) with no result, at each sweep, until the
 * result comes or the command's deadline passes (`Order#vendExpiresAt`;
 * `FailTimedOutVends` then refunds it).
 *
 * A command can be lost on the way with neither side seeing a link drop:
 * between the node that took the buy and the node the device is on when
 * their Redis adapter connection breaks (bench/faults_redis_drop.ts), or on
 * Wi-Fi that dies between two heartbeats. Without a resend such a vend is
 * refunded after the timeout although the machine was there to vend it.
 * Safe to repeat: the firmware dispenses a command id at most once and
 * answers a finished one with its stored result (firmware/PROTOCOL.md
 * §6.1). Only machines that are online (or in maintenance, for test vends)
 * are sent to; the others get their commands again when they connect.
 * Run periodically by `VendSweeper`.
 */
@inject()
export default class ResendUnansweredVends {
  constructor(protected dispatchVend: DispatchVend) {}

  /**
   * @param now the sweep's clock (tests pass a later time instead of waiting)
   * @returns how many commands were sent again (at most 500 per call)
   */
  async handle(now: DateTime = DateTime.now()): Promise<number> {
    const client = db.connection()
    const dispatchedBefore = dbTimestamp(
      client,
      now.minus({ milliseconds: vendingConfig.vendResendMs })
    )
    // Nothing past its deadline is sent (`Order#vendExpiresAt`): the
    // device would only answer `expired`, and the sweeper refunds it.
    const dispatchedAfter = dbTimestamp(
      client,
      now.minus({ milliseconds: vendingConfig.vendTimeoutMs })
    )
    const unanswered = await Order.query()
      .where('status', OrderStatus.Dispensing)
      .where('dispatched_at', '<', dispatchedBefore)
      .where('dispatched_at', '>', dispatchedAfter)
      .whereIn(
        'machine_id',
        db
          .from('machines')
          .whereIn('status', [MachineStatus.Online, MachineStatus.Maintenance])
          .select('id')
      )
      .orderBy('id')
      .limit(500)

    for (const order of unanswered) this.dispatchVend.send(order, now)
    if (unanswered.length > 0) {
      logger.info(
        { orders: unanswered.map((order) => order.id) },
        'vend commands with no result sent again'
      )
    }
    return unanswered.length
  }
}
