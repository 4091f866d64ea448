import VendingException from '#exceptions/vending_exception'

/**
 * This product is sold out in this machine.
 */
export default class OutOfStockException extends VendingException {
  static status = 409
  static code = 'out_of_stock'
  static message = 'This product is sold out in this machine.'
}
