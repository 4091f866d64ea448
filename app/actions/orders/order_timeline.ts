import type { DateTime } from 'luxon'
import type Order from '#models/order'
import Transaction from '#models/transaction'
import AuditLog from '#models/audit_log'

/**
 * One step of an order's life as the panel shows it. `tone` picks the
 * badge colour; `amountPaise` is the ledger movement of the step, if any.
 */
export interface TimelineEntry {
  at: DateTime
  label: string
  detail: string | null
  tone: 'pending' | 'dispensing' | 'completed' | 'failed' | 'refunded'
  amountPaise: number | null
  balanceAfterPaise: number | null
}

/**
 * Builds an order's timeline from its own timestamps, its ledger rows
 * (the payment and the refund) and the panel's audit rows about it.
 */
export default class OrderTimeline {
  /**
   * @param order an order with `machine` preloaded
   */
  async handle(
    order: Order
  ): Promise<{ entries: TimelineEntry[]; ledger: Transaction[]; audits: AuditLog[] }> {
    const ledger = await Transaction.query().where('order_id', order.id).orderBy('id')
    const audits = await AuditLog.query()
      .where('subject_type', 'order')
      .where('subject_id', order.id)
      .preload('user')
      .orderBy('id')
    const purchase = ledger.find((row) => row.amountPaise < 0)
    const refund = ledger.find((row) => row.kind === 'refund')

    const entries: TimelineEntry[] = [
      {
        at: order.createdAt,
        label: order.isTest ? 'Test vend' : 'Paid',
        detail: order.isTest
          ? 'Sent from the panel, free of charge'
          : purchase
            ? 'Wallet debited'
            : 'Order created',
        tone: 'pending',
        amountPaise: purchase?.amountPaise ?? null,
        balanceAfterPaise: purchase?.balanceAfterPaise ?? null,
      },
    ]
    if (order.dispatchedAt) {
      entries.push({
        at: order.dispatchedAt,
        label: 'Sent to machine',
        detail: `Vend command to ${order.machine.code}, slot ${order.slotNumber}`,
        tone: 'dispensing',
        amountPaise: null,
        balanceAfterPaise: null,
      })
    }
    if (order.completedAt) {
      entries.push({
        at: order.completedAt,
        label: 'Dropped',
        detail: 'The machine reported the item dropped',
        tone: 'completed',
        amountPaise: null,
        balanceAfterPaise: null,
      })
    }
    if (order.failedAt) {
      entries.push({
        at: order.failedAt,
        label: 'Failed',
        detail: `Reason: ${order.failureReason ?? 'unknown'}`,
        tone: 'failed',
        amountPaise: null,
        balanceAfterPaise: null,
      })
    }
    if (order.refundedAt || refund) {
      const by = audits.find((audit) => audit.action.startsWith('order.') && audit.user)
      entries.push({
        at: order.refundedAt ?? refund!.createdAt,
        label: 'Refunded',
        detail:
          [refund?.note, by ? `by ${by.user.email ?? by.user.username}` : null]
            .filter(Boolean)
            .join(' — ') || null,
        tone: 'refunded',
        amountPaise: refund?.amountPaise ?? null,
        balanceAfterPaise: refund?.balanceAfterPaise ?? null,
      })
    }
    entries.sort((a, b) => a.at.toMillis() - b.at.toMillis())
    return { entries, ledger, audits }
  }
}
