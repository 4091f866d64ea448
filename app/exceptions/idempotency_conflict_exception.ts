import VendingException from '#exceptions/vending_exception'

/**
 * This Idempotency-Key was already used for a different request.
 */
export default class IdempotencyConflictException extends VendingException {
  static status = 422
  static code = 'idempotency_key_reused'
  static message = 'This Idempotency-Key was already used for a different request.'
}
