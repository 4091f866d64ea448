/**
 * The life of an order.
 *
 * pending → dispensing → completed | failed → refunded, and
 * completed → refunded for refundable products.
 *
 * `pending`: paid and stock taken, the vend command not yet sent to a
 * connected device. `dispensing`: sent, awaiting the device's result.
 * A wallet buy whose command leaves with its commit is created
 * `dispensing` (`DispatchVend.initialStatus`): `pending → dispensing`
 * inside the creating transaction, before anyone can see the row.
 */
export enum OrderStatus {
  Pending = 'pending',
  Dispensing = 'dispensing',
  Completed = 'completed',
  Failed = 'failed',
  Refunded = 'refunded',
}

/**
 * The allowed transitions, in one place. Every status change goes through
 * `Order.transition`, which refuses anything not listed here. A pending
 * order may fail directly (its command timed out before any device took it).
 */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  [OrderStatus.Pending]: [OrderStatus.Dispensing, OrderStatus.Completed, OrderStatus.Failed],
  [OrderStatus.Dispensing]: [OrderStatus.Completed, OrderStatus.Failed],
  [OrderStatus.Completed]: [OrderStatus.Refunded],
  [OrderStatus.Failed]: [OrderStatus.Refunded],
  [OrderStatus.Refunded]: [],
}

/**
 * Statuses in which the vend command is still awaiting a device result.
 */
export const AWAITING_RESULT: readonly OrderStatus[] = [OrderStatus.Pending, OrderStatus.Dispensing]

/**
 * Statuses of an order whose vend is over, dropped or not: nothing the
 * device reports can change its outcome any more. A shopper may rate only
 * such an order (`LeaveFeedback`).
 */
export const SETTLED: readonly OrderStatus[] = [
  OrderStatus.Completed,
  OrderStatus.Failed,
  OrderStatus.Refunded,
]

/**
 * Whether `from → to` is an allowed order transition.
 */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to)
}
