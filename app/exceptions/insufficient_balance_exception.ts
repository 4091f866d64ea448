import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a debit would take a wallet below zero (402).
 */
export default class InsufficientBalanceException extends VendingException {
  static status = 402
  static code = 'insufficient_balance'
  static message = 'Your balance is too low for this purchase. Top up and try again.'
}
