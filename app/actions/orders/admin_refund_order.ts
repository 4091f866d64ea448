import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { AWAITING_RESULT } from '#enums/order_status'
import type User from '#models/user'
import Order from '#models/order'
import RefundOrder from '#actions/orders/refund_order'
import SettleVend, { CANCELLED_BY_ADMIN_REASON } from '#actions/vends/settle_vend'
import AuditTrail from '#services/audit_trail'
import RefundRefusedException from '#exceptions/refund_refused_exception'

/**
 * How an admin refund went: `refunded` for a completed (or failed, not yet
 * refunded) order, `cancelled` for a stuck order that was failed with
 * `cancelled_by_admin` and refunded (a test vend: only failed, it was free).
 */
export type AdminRefundOutcome = 'refunded' | 'cancelled'

/**
 * An operator's refund from the panel, exactly once, with an audit row
 * saying who refunded what.
 *
 * Adds no money rule of its own: a completed or failed order goes through
 * `RefundOrder` with actor `admin`; an order stuck awaiting a device result
 * (`pending`/`dispensing`, e.g. the device vanished) is failed through
 * `SettleVend` with reason `cancelled_by_admin`, which refunds it. Either
 * way the audit row is written in the refund's own transaction.
 */
@inject()
export default class AdminRefundOrder {
  constructor(
    protected refundOrder: RefundOrder,
    protected settleVend: SettleVend,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * @throws RefundRefusedException (409) `already_refunded` when the order
   *   was refunded before (or by a racing request), `not_refundable` for a
   *   settled test vend (nothing was charged)
   */
  async handle(orderId: number, actor: User): Promise<AdminRefundOutcome> {
    const order = await Order.query().where('id', orderId).preload('user').firstOrFail()
    const before = { status: order.status, failure_reason: order.failureReason }
    const audit = (action: string) => async (trx: TransactionClientContract) => {
      const after = await Order.query({ client: trx }).where('id', order.id).firstOrFail()
      await this.auditTrail.record(
        {
          actor,
          action,
          subjectType: 'order',
          subjectId: order.id,
          before,
          after: {
            status: after.status,
            failure_reason: after.failureReason,
            refunded_paise: order.pricePaise,
          },
          note: order.isTest
            ? 'Test vend cancelled, nothing charged'
            : `Refund to ${order.user.username}'s wallet`,
        },
        trx
      )
    }

    if (AWAITING_RESULT.includes(order.status)) {
      const outcome = await this.settleVend.handle(
        order,
        CANCELLED_BY_ADMIN_REASON,
        audit('order.cancel_refund')
      )
      if (outcome === 'refunded' || outcome === 'failed') return 'cancelled'
      // The device answered (or the sweeper acted) meanwhile: decide again
      // on the order as it is now.
      await order.refresh()
      if (AWAITING_RESULT.includes(order.status)) {
        throw new RefundRefusedException(
          'not_refundable',
          'This order changed while refunding it. Try again.'
        )
      }
    }

    // RefundOrder refuses an order refunded meanwhile (`already_refunded`).
    await this.refundOrder.handle(order, 'admin', audit('order.refund'))
    return 'refunded'
  }
}
