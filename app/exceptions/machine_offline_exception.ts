import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a buy targets a machine that is offline or in maintenance (409).
 */
export default class MachineOfflineException extends VendingException {
  static status = 409
  static code = 'machine_offline'
  static message = 'This machine is not online right now.'
}
