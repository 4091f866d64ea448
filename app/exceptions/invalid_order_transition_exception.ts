import { Exception } from '@adonisjs/core/exceptions'

/**
 * A code path asked for an order transition that `ORDER_TRANSITIONS` does
 * not allow. This is a bug, never bad input, so it stays a 500.
 */
export default class InvalidOrderTransitionException extends Exception {
  static status = 500
  static code = 'E_INVALID_ORDER_TRANSITION'

  constructor(from: string, to: string) {
    super(`Order cannot move from ${from} to ${to}`)
  }
}
