import VendingException from '#exceptions/vending_exception'

/**
 * Thrown when a rollout would target a machine that an active (running,
 * paused or halted) rollout already holds (409, field `machines`): one
 * update at a time per machine, and the operator decides which one.
 */
export default class MachineInRolloutException extends VendingException {
  static status = 409
  static code = 'machine_in_rollout'
  static message = 'A machine is already in an active rollout.'

  constructor(codes: string[] = []) {
    super(
      codes.length > 0
        ? `Already in an active rollout: ${codes.join(', ')}. Cancel or finish that rollout first.`
        : undefined,
      { field: 'machines' }
    )
  }
}
