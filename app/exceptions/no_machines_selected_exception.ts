import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a rollout's selector leaves no machine to update: none
 * matched, or every one already runs the version (422, field `machines`).
 */
export default class NoMachinesSelectedException extends VendingException {
  static status = 422
  static code = 'no_machines_selected'
  static message = 'No machine needs this update.'

  constructor(message?: string) {
    super(message, { field: 'machines' })
  }
}
