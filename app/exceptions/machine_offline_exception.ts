import VendingException from '#exceptions/vending_exception'

/**
 * This machine is not online right now.
 */
export default class MachineOfflineException extends VendingException {
  static status = 409
  static code = 'machine_offline'
  static message = 'This machine is not online right now.'
}
