import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a rollout names its machines in none or several ways at once
 * (machine codes, a tag, a share of the fleet: exactly one) (422, field
 * `selector`).
 */
export default class InvalidRolloutSelectorException extends VendingException {
  static status = 422
  static code = 'invalid_selector'
  static message = 'Choose the machines one way: by code, by tag or by a share of the fleet.'

  constructor(message?: string) {
    super(message, { field: 'selector' })
  }
}
