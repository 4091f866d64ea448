import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a buy names a slot the machine does not have, or one holding another product (422, field `slot`).
 */
export default class UnknownSlotException extends VendingException {
  static status = 422
  static code = 'unknown_slot'
  static message = 'This machine has no such slot with this product.'

  constructor(message?: string) {
    super(message, { field: 'slot' })
  }
}
