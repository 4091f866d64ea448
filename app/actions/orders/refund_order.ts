import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import Order from '#models/order'
import Product from '#models/product'
import Payment from '#models/payment'
import Ledger from '#services/ledger'
import RefundRefusedException from '#exceptions/refund_refused_exception'
import { announceOrderUpdate } from '#services/order_events'
import { requestCardRefund } from '#services/card_refunds'
import { CardRefundStatus } from '#enums/card_refund_status'
import Metrics from '#services/metrics'

/**
 * Who asks for the refund; each has its own rule (a shopper refunds only
 * what the product allows, an operator also puts right a vend that went
 * wrong):
 * - `shopper`: a completed order of a refundable product, within the
 *   refund window (`REFUND_WINDOW_MINUTES`);
 * - `admin`: a completed order of any product, or a failed one.
 */
export type RefundActor = 'shopper' | 'admin'

/**
 * Refunds an order at most once: to the shopper's wallet, or to the card
 * for an item paid per vend.
 *
 * The status move (`completed | failed → refunded`) and the ledger credit
 * happen in one database transaction. Two guards make a double refund
 * impossible even under a race: the conditional status update, and the
 * unique `refund:order:<id>` external reference on the ledger row.
 */
@inject()
export default class RefundOrder {
  constructor(
    protected ledger: Ledger,
    protected metrics: Metrics
  ) {}

  /**
   * @param onRefunded optional hook run inside the refund's transaction
   *   after the credit (the panel records its audit row there)
   * @returns the refunded order, reloaded
   * @throws RefundRefusedException (409) `already_refunded`,
   *   `not_refundable` (also for an operator's test vend, which was free) or
   *   `refund_window_expired`
   */
  async handle(
    order: Order,
    actor: RefundActor,
    onRefunded?: (trx: TransactionClientContract) => Promise<void>
  ): Promise<Order> {
    if (order.status === OrderStatus.Refunded) {
      throw new RefundRefusedException('already_refunded', 'This order was already refunded.')
    }
    if (order.isTest) {
      throw new RefundRefusedException(
        'not_refundable',
        'A test vend is free: there is nothing to refund.'
      )
    }

    if (actor === 'shopper') {
      const refusal = RefundOrder.shopperRefusal(order, await Product.findOrFail(order.productId))
      if (refusal) throw refusal
    } else if (order.status !== OrderStatus.Completed && order.status !== OrderStatus.Failed) {
      throw new RefundRefusedException(
        'not_refundable',
        `A ${order.status} order cannot be refunded yet.`
      )
    }

    const refunded = await db.transaction(async (trx) => {
      const done = await this.refundWithin(trx, order, order.status)
      if (done) await onRefunded?.(trx)
      return done
    })
    if (!refunded) {
      throw new RefundRefusedException('already_refunded', 'This order was already refunded.')
    }

    await order.refresh()
    announceOrderUpdate(order)
    return order
  }

  /**
   * The shopper's rule: a completed order of a refundable
   * product, within `REFUND_WINDOW_MINUTES` of completion. Pages use it to
   * decide whether to offer a Refund button; `handle` enforces it.
   *
   * @returns why the shopper may not refund, or null when they may
   */
  static shopperRefusal(
    order: Order,
    product: Product,
    now: DateTime = DateTime.now()
  ): RefundRefusedException | null {
    if (order.status === OrderStatus.Refunded) {
      return new RefundRefusedException('already_refunded', 'This order was already refunded.')
    }
    if (!product.isRefundable) {
      return new RefundRefusedException('not_refundable', 'This product cannot be refunded.')
    }
    if (order.status !== OrderStatus.Completed || !order.completedAt) {
      return new RefundRefusedException(
        'not_refundable',
        `Only completed orders can be refunded; this one is ${order.status}.`
      )
    }
    if (now > order.completedAt.plus({ milliseconds: vendingConfig.refundWindowMs })) {
      return new RefundRefusedException(
        'refund_window_expired',
        'The refund window for this order has closed.'
      )
    }
    return null
  }

  /**
   * The refund itself, inside the caller's transaction: moves the order
   * from `from` to `refunded` and credits its price to the wallet through
   * the ledger, or, for an order paid per vend, marks its card payment's
   * refund `pending` and sends it after commit (`IssueCardRefund`). Shared
   * with the automatic refund of failed vends (`SettleVend`).
   *
   * @returns false when the order was no longer in `from` (nothing done)
   */
  async refundWithin(
    trx: TransactionClientContract,
    order: Order,
    from: OrderStatus
  ): Promise<boolean> {
    const moved = await Order.transition(trx, order.id, from, OrderStatus.Refunded, 'refundedAt')
    if (!moved) return false
    // A free order (an operator's test vend) was never charged: there is
    // nothing to credit, and the ledger refuses zero amounts.
    if (order.pricePaise === 0) return true

    // Paid per vend: the money goes back to the card it came from (it never
    // passed through the wallet), through the provider, once this
    // transaction has committed: a rolled-back refund must not reach the
    // provider.
    if (order.paymentId) {
      const paymentId = order.paymentId
      await Payment.transitionRefund(trx, paymentId, null, CardRefundStatus.Pending)
      trx.after('commit', () => requestCardRefund(paymentId))
      return true
    }

    // Counted once committed: a rolled-back refund moved no money.
    trx.after('commit', () => this.metrics.refunded('wallet'))
    await this.ledger.post(trx, {
      userId: order.userId,
      kind: TransactionKind.Refund,
      amountPaise: order.pricePaise,
      orderId: order.id,
      externalReference: `refund:order:${order.id}`,
      note:
        from === OrderStatus.Failed
          ? `Automatic refund: ${order.failureReason ?? 'vend failed'}`
          : 'Refund',
    })
    return true
  }
}
