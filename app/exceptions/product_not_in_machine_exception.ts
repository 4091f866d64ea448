import VendingException from '#exceptions/vending_exception'

/**
 * This machine does not sell this product.
 */
export default class ProductNotInMachineException extends VendingException {
  static status = 422
  static code = 'product_not_in_machine'
  static message = 'This machine does not sell this product.'

  constructor(message?: string) {
    super(message, { field: 'machine' })
  }
}
