import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when an operator asks a rollout for a move its status does not
 * allow (pause a halted one, resume a running one, anything on a
 * cancelled or completed one) (409). `ROLLOUT_TRANSITIONS` is the rule.
 */
export default class InvalidRolloutStateException extends VendingException {
  static status = 409
  static code = 'invalid_rollout_state'
  static message = 'The rollout cannot do that in its current state.'

  constructor(status?: string, wanted?: string) {
    super(status && wanted ? `A ${status} rollout cannot be ${wanted}.` : undefined)
  }
}
