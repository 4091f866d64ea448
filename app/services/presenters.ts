import type { DateTime } from 'luxon'
import type Order from '#models/order'
import type User from '#models/user'
import type Slot from '#models/slot'
import type Machine from '#models/machine'
import type Product from '#models/product'
import type Payment from '#models/payment'
import type OrderFeedback from '#models/order_feedback'
import { MachineStatus } from '#enums/machine_status'

/**
 * JSON shapes of the public API (`/api/v1`) and of the live socket events.
 * Money is integer paise; times are ISO 8601 strings in UTC.
 */

/**
 * A time as the API shows it: ISO 8601 in UTC, or null.
 */
function iso(value: DateTime | null | undefined): string | null {
  return value?.toUTC().toISO() ?? null
}

export function presentShopper(user: User) {
  return { id: user.id, username: user.username, balance_paise: user.balancePaise }
}

export function presentProduct(product: Product) {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price_paise: product.pricePaise,
    image_path: product.imagePath,
    is_refundable: product.isRefundable,
  }
}

export function presentMachine(machine: Machine) {
  return {
    id: machine.id,
    code: machine.code,
    name: machine.name,
    location: machine.location,
    status: machine.status,
    requires_display_code: Boolean(machine.requiresDisplayCode),
    last_seen_at: machine.lastSeenAt?.toUTC().toISO() ?? null,
  }
}

/**
 * One planogram row; `available` says whether a buy can succeed right now.
 * `price_paise` is what a shopper pays for a unit from this slot (the
 * slot's override, else the product's price; null for an empty slot), and
 * the nested product's `price_paise` is that same price, so a client that
 * reads the product's price shows what this machine charges.
 * Expects `slot.product` preloaded.
 */
export function presentSlot(slot: Slot, machine: Machine) {
  const product = slot.product ?? null
  const pricePaise = product ? slot.effectivePricePaise(product) : null
  return {
    slot: slot.number,
    quantity: slot.quantity,
    capacity: slot.capacity,
    price_paise: pricePaise,
    product: product ? { ...presentProduct(product), price_paise: pricePaise } : null,
    available:
      Boolean(product?.isActive) && slot.quantity > 0 && machine.status === MachineStatus.Online,
  }
}

export function presentOrder(order: Order) {
  return {
    id: order.id,
    status: order.status,
    product_id: order.productId,
    machine_id: order.machineId,
    slot: order.slotNumber,
    price_paise: order.pricePaise,
    command_id: order.commandId,
    failure_reason: order.failureReason,
    payment_id: order.paymentId ?? null,
    created_at: iso(order.createdAt),
    dispatched_at: iso(order.dispatchedAt),
    completed_at: iso(order.completedAt),
    failed_at: iso(order.failedAt),
    refunded_at: iso(order.refundedAt),
  }
}

/**
 * A payment as its shopper sees it. `hold_expires_at` is when a
 * pay-per-vend payment stops holding its unit; `refund_status` follows a
 * refund to the card (`pending`, `sending`, `sent`, `processed`, `failed`).
 */
export function presentPayment(payment: Payment) {
  return {
    id: payment.id,
    purpose: payment.purpose,
    provider: payment.provider,
    status: payment.status,
    amount_paise: payment.amountPaise,
    currency: payment.currency,
    // `?? null`: a model just created leaves unset columns undefined, and
    // JSON would drop those keys from the 201 answer.
    provider_order_id: payment.providerOrderId ?? null,
    provider_payment_id: payment.providerPaymentId ?? null,
    machine_id: payment.machineId ?? null,
    product_id: payment.productId ?? null,
    hold_expires_at: iso(payment.holdExpiresAt),
    failure_reason: payment.failureReason ?? null,
    refund_status: payment.refundStatus ?? null,
    created_at: iso(payment.createdAt),
    paid_at: iso(payment.paidAt),
  }
}

/**
 * A shopper's rating of an order: `rating` 1 to 5, `comment` or null,
 * `vend_failed` whether the vend had failed when it was rated.
 */
export function presentFeedback(feedback: OrderFeedback) {
  return {
    id: feedback.id,
    order_id: feedback.orderId,
    machine_id: feedback.machineId,
    product_id: feedback.productId,
    rating: feedback.rating,
    comment: feedback.comment ?? null,
    vend_failed: feedback.vendFailed,
    created_at: iso(feedback.createdAt),
  }
}
