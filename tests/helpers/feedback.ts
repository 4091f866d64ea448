import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import type Machine from '#models/machine'
import type Product from '#models/product'
import type User from '#models/user'
import OrderFeedback from '#models/order_feedback'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { OrderFactory } from '#database/factories/order_factory'

/**
 * A machine with one slot (number 1) of one product, written directly (no
 * device): for ratings of orders whose vend is already over.
 */
export async function machineWithProduct(
  options: { code?: string; productName?: string } = {}
): Promise<{ machine: Machine; product: Product; slotId: number }> {
  const machine = await MachineFactory.merge(options.code ? { code: options.code } : {}).create()
  const product = await ProductFactory.merge(
    options.productName ? { name: options.productName } : {}
  ).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    productId: product.id,
    number: 1,
  }).create()
  return { machine, product, slotId: slot.id }
}

/**
 * How an order written by `orderOf` ended: `completed` (dropped),
 * `failed_refunded` (did not drop, refunded automatically), `refunded` (the
 * shopper refunded a completed one), or still running.
 */
export type OrderOutcome = 'completed' | 'failed_refunded' | 'refunded' | 'pending' | 'dispensing'

/**
 * An order of `user` at `machine`, written directly with the columns a
 * real vend leaves for `outcome` (timestamps, failure reason). No money
 * moves: the ledger plays no part in ratings.
 */
export async function orderOf(
  user: User,
  at: { machine: Machine; product: Product; slotId: number },
  outcome: OrderOutcome,
  extra: { isTest?: boolean } = {}
) {
  const now = DateTime.now()
  const columns = {
    completed: { status: OrderStatus.Completed, completedAt: now },
    failed_refunded: {
      status: OrderStatus.Refunded,
      failureReason: 'jam',
      failedAt: now,
      refundedAt: now,
    },
    refunded: { status: OrderStatus.Refunded, completedAt: now, refundedAt: now },
    pending: { status: OrderStatus.Pending },
    dispensing: { status: OrderStatus.Dispensing, dispatchedAt: now },
  }[outcome]
  return OrderFactory.merge({
    userId: user.id,
    machineId: at.machine.id,
    slotId: at.slotId,
    productId: at.product.id,
    pricePaise: extra.isTest ? 0 : at.product.pricePaise,
    isTest: extra.isTest ?? false,
    ...columns,
  }).create()
}

/**
 * Every stored rating, oldest first, as plain values.
 */
export async function feedbackRows() {
  const rows = await db.from('order_feedback').orderBy('id')
  return rows.map((row) => ({
    orderId: Number(row.order_id),
    userId: Number(row.user_id),
    machineId: Number(row.machine_id),
    productId: Number(row.product_id),
    rating: Number(row.rating),
    comment: row.comment as string | null,
    vendFailed: Boolean(row.vend_failed),
  }))
}

/**
 * A rating written directly, `minutesAgo` minutes ago, for the panel's
 * lists (the shopper's way in is `LeaveFeedback`, tested on its own).
 */
export function ratingOf(
  order: { id: number; userId: number; machineId: number; productId: number },
  rating: number,
  options: { vendFailed?: boolean; comment?: string; minutesAgo?: number } = {}
) {
  return OrderFeedback.create({
    orderId: order.id,
    userId: order.userId,
    machineId: order.machineId,
    productId: order.productId,
    rating,
    comment: options.comment ?? null,
    vendFailed: options.vendFailed ?? false,
    createdAt: DateTime.now().minus({ minutes: options.minutesAgo ?? 0 }),
  })
}
