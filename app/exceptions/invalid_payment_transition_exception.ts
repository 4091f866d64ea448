import { Exception } from '@adonisjs/core/exceptions'

/**
 * A code path asked for a payment status move that `PAYMENT_TRANSITIONS`
 * does not allow. This is a bug, never bad input, so it stays a 500.
 */
export default class InvalidPaymentTransitionException extends Exception {
  static status = 500
  static code = 'E_INVALID_PAYMENT_TRANSITION'

  constructor(from: string, to: string) {
    super(`A payment cannot move from ${from} to ${to}`)
  }
}
