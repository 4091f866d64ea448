import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a machine requires the code on its display (a presence
 * check: the buyer stands at the machine) and the buy quotes none, a
 * wrong one or one that has expired (422, field `display_code`). One
 * code for all three: the shopper does the same thing in each case, reads
 * the display and types what it shows.
 */
export default class InvalidDisplayCodeException extends VendingException {
  static status = 422
  static code = 'invalid_display_code'
  static message = "Enter the code shown on the machine's display."

  constructor(message?: string) {
    super(message, { field: 'display_code' })
  }
}
