import VendingException from '#exceptions/vending_exception'

/**
 * This machine has no such slot with this product.
 */
export default class UnknownSlotException extends VendingException {
  static status = 422
  static code = 'unknown_slot'
  static message = 'This machine has no such slot with this product.'

  constructor(message?: string) {
    super(message, { field: 'slot' })
  }
}
