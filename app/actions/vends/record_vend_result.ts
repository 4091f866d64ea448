import { inject } from '@adonisjs/core'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import SettleVend, { type SettleOutcome } from '#actions/vends/settle_vend'

/**
 * Applies a device's `vend_result`. The command must belong to the
 * reporting machine: a device can never settle another machine's order.
 */
@inject()
export default class RecordVendResult {
  constructor(protected settleVend: SettleVend) {}

  /**
   * @returns `unknown_command` when no order of this machine has the id,
   *   otherwise what `SettleVend` did
   */
  async handle(
    machineId: number,
    commandId: string,
    result: VendResult
  ): Promise<SettleOutcome | 'unknown_command'> {
    // Every vend ends here: a `dropped` result completes its order in one
    // statement (`SettleVend.completeCommand`); only what that did not
    // settle reads the order.
    if (result === VendResult.Dropped) {
      const completed = await this.settleVend.completeCommand(machineId, commandId)
      if (completed) return completed
    }
    const order = await Order.query()
      .where('command_id', commandId)
      .where('machine_id', machineId)
      .first()
    if (!order) return 'unknown_command'
    return this.settleVend.handle(order, result)
  }
}
