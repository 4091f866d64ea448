import emitter from '@adonisjs/core/services/emitter'

/**
 * Payload of `payment:refund_due`: a payment whose money must go back to
 * the card (its `refund_status` is `pending`).
 */
export interface RefundDue {
  paymentId: number
}

/**
 * Asks for a card refund to be sent now (the listener in start/events.ts
 * runs `IssueCardRefund`). Call after the transaction that marked the
 * refund `pending` has committed; if the call to the provider fails, the
 * vend sweeper retries it later.
 */
export function requestCardRefund(paymentId: number): void {
  emitter.emit('payment:refund_due', { paymentId })
}
