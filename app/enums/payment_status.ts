/**
 * The life of a payment taken through the payment provider.
 *
 * `created`: the provider's order exists, the shopper has not paid yet (a
 * pay-per-vend payment holds one unit of stock meanwhile). `paid`: the money
 * is ours, credited to the wallet or turned into an order. `failed`: the
 * provider reported the attempt failed, or the shopper closed the checkout.
 * `expired`: nobody paid within the hold time.
 *
 * A `failed` or `expired` payment may still become `paid`: Razorpay lets a
 * shopper retry on the same order, and a webhook can arrive late. Money that
 * arrives is never ignored (see `CapturePayment`).
 */
export enum PaymentStatus {
  Created = 'created',
  Paid = 'paid',
  Failed = 'failed',
  Expired = 'expired',
}

/**
 * The allowed moves of `payments.status`, in one place. Every change goes
 * through `Payment.transition`, which refuses anything not listed here. A
 * payment is born `created` (checkout opened) or, for a second payment on
 * an order already paid, `paid` (`CapturePayment`); no move leads back to
 * `created`.
 *
 * - `created → paid`: the money arrived (`CapturePayment`, from the
 *   verified Checkout response, the webhook or the demo driver).
 * - `created → failed | expired`: the attempt failed, the shopper closed
 *   Checkout, the hold was replaced or timed out (`ReleasePaymentHold`).
 * - `failed | expired → paid`: money that arrives late is never ignored:
 *   Razorpay lets a shopper retry on the same order, and a webhook can come
 *   after the hold lapsed (`CapturePayment` takes a unit again or refunds
 *   to the card).
 * - `paid` is final: a refund is tracked in `refund_status`, not here.
 */
export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  [PaymentStatus.Created]: [PaymentStatus.Paid, PaymentStatus.Failed, PaymentStatus.Expired],
  [PaymentStatus.Failed]: [PaymentStatus.Paid],
  [PaymentStatus.Expired]: [PaymentStatus.Paid],
  [PaymentStatus.Paid]: [],
}

/**
 * Whether a payment may move `from → to`.
 */
export function canTransitionPayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to)
}

/**
 * The statuses a payment may reach `to` from.
 */
export function paymentSources(to: PaymentStatus): PaymentStatus[] {
  return Object.values(PaymentStatus).filter((from) => canTransitionPayment(from, to))
}

/**
 * Statuses from which a payment may still be captured: every status that
 * may move to `paid` (`created`, `failed`, `expired`).
 */
export const CAPTURABLE: readonly PaymentStatus[] = paymentSources(PaymentStatus.Paid)
