import { Exception } from '@adonisjs/core/exceptions'

/**
 * A code path asked for a card refund move that `CARD_REFUND_TRANSITIONS`
 * does not allow. This is a bug, never bad input, so it stays a 500.
 */
export default class InvalidCardRefundTransitionException extends Exception {
  static status = 500
  static code = 'E_INVALID_CARD_REFUND_TRANSITION'

  constructor(from: string | null, to: string) {
    super(`A card refund cannot move from ${from ?? 'none'} to ${to}`)
  }
}
