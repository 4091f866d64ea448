import type { OrderUpdate } from '#services/order_events'
import type { RefundDue } from '#services/card_refunds'

declare module '@adonisjs/core/types' {
  interface EventsList {
    /**
     * An order changed status (bought, dispatched, settled, refunded).
     */
    'order:updated': OrderUpdate

    /**
     * A pay-per-vend payment is owed back to the card (`IssueCardRefund`).
     */
    'payment:refund_due': RefundDue
  }
}
