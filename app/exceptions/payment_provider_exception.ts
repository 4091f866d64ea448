import VendingException from '#exceptions/vending_exception'

/**
 * The payment provider (Razorpay) refused a call or could not be reached
 * (502). Nothing was charged; the shopper may try again.
 */
export default class PaymentProviderException extends VendingException {
  static status = 502
  static code = 'payment_provider_error'
  static message =
    'The payment provider could not be reached. Nothing was charged; please try again.'
}
