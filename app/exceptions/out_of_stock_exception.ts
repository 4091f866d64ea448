import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when no slot of the machine holding the product has a unit left (409).
 */
export default class OutOfStockException extends VendingException {
  static status = 409
  static code = 'out_of_stock'
  static message = 'This product is sold out in this machine.'
}
