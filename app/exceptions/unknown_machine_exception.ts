import VendingException from '#exceptions/vending_exception'

/**
 * No machine has this code.
 */
export default class UnknownMachineException extends VendingException {
  static status = 422
  static code = 'unknown_machine'
  static message = 'No machine has this code.'

  constructor(message?: string) {
    super(message, { field: 'machine' })
  }
}
