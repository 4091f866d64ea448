import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a buy names a machine code that does not exist (422, field `machine`).
 */
export default class UnknownMachineException extends VendingException {
  static status = 422
  static code = 'unknown_machine'
  static message = 'No machine has this code.'

  constructor(message?: string) {
    super(message, { field: 'machine' })
  }
}
