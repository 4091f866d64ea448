import type Order from '#models/order'

declare module '@adonisjs/core/types' {
  interface EventsList {
    /**
     * An order changed status (bought, dispatched, settled, refunded).
     */
    'order:updated': Order
  }
}
