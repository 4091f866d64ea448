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
    const order = await Order.query()
      .where('command_id', commandId)
      .where('machine_id', machineId)
      .first()
    if (!order) return 'unknown_command'
    return this.settleVend.handle(order, result)
  }
}
