import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { AWAITING_RESULT, OrderStatus } from '#enums/order_status'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import RefundOrder from '#actions/orders/refund_order'
import Slot from '#models/slot'
import { announceOrderUpdate } from '#services/order_events'
import Metrics from '#services/metrics'
import { completeByCommand } from '#services/vend_statements'

/**
 * What settling did: `completed`, `refunded` (failed and refunded),
 * `failed` (an operator's test vend failed: nothing was charged, so it
 * stays `failed` with nothing to refund), or `ignored` when the order was
 * no longer awaiting a result (a repeated result, or one that came after
 * the timeout refund).
 */
export type SettleOutcome = 'completed' | 'refunded' | 'failed' | 'ignored'

/**
 * Why an operator ended a vend that never reported (`AdminRefundOrder`).
 */
export const CANCELLED_BY_ADMIN_REASON = 'cancelled_by_admin'

/**
 * Failure reasons after which the unit a vend took is certainly still in
 * its slot, so it is counted back: `no_drop` (the motor ran its cycle and
 * the working drop sensor saw nothing fall) and `expired` (the command
 * reached the device past its deadline: no motor started). Any other failure of a command that left the server
 * leaves the count unknown: the slot is flagged for a check, not guessed.
 */
export const UNIT_STILL_IN_SLOT: ReadonlySet<string> = new Set([
  VendResult.NoDrop,
  VendResult.Expired,
])

/**
 * Called inside the settling transaction once a failed order was refunded
 * (or, for a test vend, failed), so a caller's own record (the admin audit
 * row) commits or rolls back with it.
 */
export type RefundedHook = (trx: TransactionClientContract) => Promise<void>

/**
 * Ends a vend: the one place that decides what a device result, or the
 * lack of one, does to an order and the shopper's money.
 *
 * - `dropped` completes the order.
 * - Any other result, or `timeout`, fails it and refunds the price to the
 *   wallet in the same database transaction, so a shopper never pays for
 *   an item that did not drop. An operator's test vend (`isTest`) was
 *   free: it stays `failed`, a failed vend of the machine like any other,
 *   and nothing is refunded.
 * - The unit of stock the vend took, on failure (`settleStock`): given
 *   back when the command never left the server (`pending`) or the device
 *   says it is still in the slot (`no_drop`, `expired`); otherwise (`jam`,
 *   `sensor_fault`, `interrupted`, `timeout`, `cancelled_by_admin` after
 *   the command left) nobody knows where it is, so the count is left as it
 *   is and the slot is flagged for an operator's check. The same for
 *   shoppers' orders and test vends.
 *
 * Only orders still awaiting a result change, with a conditional update,
 * so a replayed or late result changes nothing.
 */
@inject()
export default class SettleVend {
  constructor(
    protected refundOrder: RefundOrder,
    protected metrics: Metrics
  ) {}

  /**
   * @param result a device `VendResult`, `'timeout'` from the sweeper, or
   *   `'cancelled_by_admin'` from the panel
   * @param onRefunded optional hook run in the refund's transaction
   */
  async handle(
    order: Order,
    result: VendResult | 'timeout' | typeof CANCELLED_BY_ADMIN_REASON,
    onRefunded?: RefundedHook
  ): Promise<SettleOutcome> {
    if (!AWAITING_RESULT.includes(order.status)) {
      if (result === VendResult.Dropped && order.status === OrderStatus.Refunded) {
        logger.warn({ orderId: order.id }, 'item dropped after the order was refunded')
      }
      return 'ignored'
    }

    let outcome: SettleOutcome
    if (result === VendResult.Dropped) {
      // One conditional UPDATE from either awaiting status settles it: atomic
      // on its own, so no transaction or row lock, and the instance is
      // updated in place (the common case of every vend).
      const moved = await order.advance(
        db.connection(),
        OrderStatus.Completed,
        'completedAt',
        AWAITING_RESULT
      )
      outcome = moved ? 'completed' : 'ignored'
    } else {
      outcome = await db.transaction(async (trx): Promise<SettleOutcome> => {
        const current = await Order.lockForUpdate(trx, order.id)
        if (!AWAITING_RESULT.includes(current.status)) return 'ignored'

        const failed = await Order.transition(
          trx,
          order.id,
          current.status,
          OrderStatus.Failed,
          'failedAt',
          {
            failure_reason: result,
          }
        )
        if (!failed) return 'ignored'

        await SettleVend.settleStock(trx, current, result)

        current.failureReason = result
        if (current.isTest) {
          await onRefunded?.(trx)
          return 'failed'
        }
        await this.refundOrder.refundWithin(trx, current, OrderStatus.Failed)
        await onRefunded?.(trx)
        return 'refunded'
      })
      if (outcome === 'refunded' || outcome === 'failed') await order.refresh()
    }

    if (outcome !== 'ignored') {
      this.metrics.vendSettled(result, order.dispatchedAt)
      announceOrderUpdate(order)
    }
    return outcome
  }

  /**
   * The common case of every vend, `handle(order, 'dropped')` for an order
   * not read yet: completes the order of command `commandId` on machine
   * `machineId` when it awaits a result, in one conditional UPDATE that
   * returns the row (`completeByCommand`), then counts and announces it as
   * `handle` does.
   *
   * @returns `completed`, or null when no order of this machine awaits a
   *   result under that command (unknown, already settled): the caller
   *   reads the order and calls `handle`, which tells which
   */
  async completeCommand(machineId: number, commandId: string): Promise<'completed' | null> {
    const order = await completeByCommand(db.connection(), machineId, commandId)
    if (!order) return null
    this.metrics.vendSettled(VendResult.Dropped, order.dispatchedAt)
    announceOrderUpdate(order)
    return 'completed'
  }

  /**
   * What a failed vend does to its slot, inside the transaction that failed
   * it (so exactly once per order: only the transaction that moved the
   * order to `failed` gets here). `order` is the row as it was before,
   * still `pending` or `dispensing`.
   *
   * - `pending` (the command never left the server) or a result in
   *   `UNIT_STILL_IN_SLOT`: the unit goes back, never above the slot's
   *   capacity and only while it holds the same product (`Slot.putBackOne`).
   * - anything else: the count stays and the slot is flagged for a check
   *   (`Slot.flagForCheck`), with the failure reason.
   */
  static async settleStock(
    trx: TransactionClientContract,
    order: Order,
    reason: string
  ): Promise<void> {
    if (order.status === OrderStatus.Pending || UNIT_STILL_IN_SLOT.has(reason)) {
      await Slot.putBackOne(trx, order.slotId, order.productId)
    } else {
      await Slot.flagForCheck(trx, order.slotId, reason, order.id)
    }
  }
}
