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
 * Statuses from which a payment may still be captured.
 */
export const CAPTURABLE: readonly PaymentStatus[] = [PaymentStatus.Created, PaymentStatus.Failed, PaymentStatus.Expired]
