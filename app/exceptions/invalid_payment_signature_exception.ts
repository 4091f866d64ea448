import VendingException from '#exceptions/vending_exception'

/**
 * A payment confirmation whose signature is not Razorpay's (400): forged,
 * tampered with, or for another order. Nothing changes.
 */
export default class InvalidPaymentSignatureException extends VendingException {
  static status = 400
  static code = 'invalid_signature'
  static message = 'The payment signature does not match.'
}
