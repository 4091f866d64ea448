import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when the machine's planogram has no slot with the product (422, field `machine`).
 */
export default class ProductNotInMachineException extends VendingException {
  static status = 422
  static code = 'product_not_in_machine'
  static message = 'This machine does not sell this product.'

  constructor(message?: string) {
    super(message, { field: 'machine' })
  }
}
