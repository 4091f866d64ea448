import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when payments cannot be taken: the demo driver in production, or no provider configured (503).
 */
export default class PaymentsUnavailableException extends VendingException {
  static status = 503
  static code = 'payments_unavailable'
  static message = 'Payments are not available: no payment provider is configured.'
}
