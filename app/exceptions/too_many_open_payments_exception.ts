import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when open pay-per-vend payments from the client's address already
 * hold `LIMIT_HOLDS_PER_IP` units (409): more would let one address keep
 * stock off the shelves without paying. Nothing is held; the message
 * points to the wallet, which holds nothing.
 */
export default class TooManyOpenPaymentsException extends VendingException {
  static status = 409
  static code = 'too_many_open_payments'
  static message =
    'Too many card payments are open from your network right now. Pay from your wallet, or try again in a few minutes.'
}
