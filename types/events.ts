import type { OrderUpdate } from '#services/order_events'

declare module '@adonisjs/core/types' {
  interface EventsList {
    /**
     * An order changed status (bought, dispatched, settled, refunded).
     */
    'order:updated': OrderUpdate
  }
}
