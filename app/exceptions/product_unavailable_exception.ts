import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when the product is deactivated and cannot be bought (409).
 */
export default class ProductUnavailableException extends VendingException {
  static status = 409
  static code = 'product_unavailable'
  static message = 'This product is not on sale.'
}
