import VendingException from '#exceptions/vending_exception'

/**
 * This product is not on sale.
 */
export default class ProductUnavailableException extends VendingException {
  static status = 409
  static code = 'product_unavailable'
  static message = 'This product is not on sale.'
}
