import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a shopper's pay requests keep racing each other (each one
 * replaces the hold of the one before), so this one could not settle
 * (409). Nothing is held for it; one of the others holds the unit.
 */
export default class PaymentInProgressException extends VendingException {
  static status = 409
  static code = 'payment_in_progress'
  static message = 'Another payment of yours is being opened right now. Try again in a moment.'
}
