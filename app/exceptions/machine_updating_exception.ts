import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a buy names a machine that is installing a firmware update
 * (its rollout target downloading, verifying or rebooting) (409): the
 * device would refuse the vend (`no_drop`, firmware/PROTOCOL.md §13.1) and
 * the shopper be refunded, so the server refuses up front.
 */
export default class MachineUpdatingException extends VendingException {
  static status = 409
  static code = 'machine_updating'
  static message = 'This machine is installing a software update. Try again in a few minutes.'
}
