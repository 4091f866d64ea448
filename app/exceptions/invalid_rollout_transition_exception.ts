import { Exception } from '@adonisjs/core/exceptions'

/**
 * A code path asked for a rollout or rollout target move that
 * `ROLLOUT_TRANSITIONS` / `ROLLOUT_TARGET_TRANSITIONS` do not allow. A bug,
 * never bad input (an operator's refused pause or resume is checked
 * before), so it stays a 500.
 */
export default class InvalidRolloutTransitionException extends Exception {
  static status = 500
  static code = 'E_INVALID_ROLLOUT_TRANSITION'

  constructor(what: 'rollout' | 'target', from: string, to: string) {
    super(`A ${what} cannot move from ${from} to ${to}`)
  }
}
