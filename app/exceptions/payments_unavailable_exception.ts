import VendingException from '#exceptions/vending_exception'

/**
 * Top-ups are not available: no payment provider is configured.
 */
export default class PaymentsUnavailableException extends VendingException {
  static status = 503
  static code = 'payments_unavailable'
  static message = 'Top-ups are not available: no payment provider is configured.'
}
