import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when an Idempotency-Key is reused for a different request (422).
 */
export default class IdempotencyConflictException extends VendingException {
  static status = 422
  static code = 'idempotency_key_reused'
  static message = 'This Idempotency-Key was already used for a different request.'
}
