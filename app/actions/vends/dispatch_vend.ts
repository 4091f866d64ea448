import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import Machine from '#models/machine'
import Order from '#models/order'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import { ServerToDeviceEvent, type VendCommand } from '#services/device_protocol'
import { announceOrderUpdate } from '#services/order_events'

/**
 * Sends a vend to its machine: moves a `pending` order to `dispensing` and
 * emits `vend { command_id, order_id, slot, expires_at }` to the machine's
 * room (`DeviceChannel`), wherever its device is connected. When the
 * machine is not online, or no socket.io server runs in this process (an
 * ace command, a worker), the order stays `pending`: it is sent when the
 * device connects, or refunded by the sweeper. An operator's test vend
 * also goes to a machine in maintenance (where testing a slot is most
 * useful).
 */
@inject()
export default class DispatchVend {
  constructor(
    protected channel: DeviceChannel,
    protected monitor: DeviceMonitor
  ) {}

  /**
   * Dispatches a committed order (see the class).
   *
   * @returns the order, reloaded
   */
  async handle(order: Order): Promise<Order> {
    const machine = await Machine.find(order.machineId)
    if (!machine || !this.canSend(machine, order)) return order

    if (order.status === OrderStatus.Pending) {
      await db.transaction((trx) =>
        Order.transition(trx, order.id, OrderStatus.Pending, OrderStatus.Dispensing, 'dispatchedAt')
      )
      await order.refresh()
      // Announced before the command leaves, so the shopper never sees
      // `dispensing` arrive after the device's result.
      if ((order.status as OrderStatus) === OrderStatus.Dispensing) announceOrderUpdate(order)
    }
    if (order.status === OrderStatus.Dispensing) this.sendCommand(order)
    return order
  }

  /**
   * `handle` for an order created in the caller's transaction (a wallet
   * buy), split in two so the buy commits once: here, inside the
   * transaction, the status to create the order with: `dispensing` when it
   * can be sent now (`machine`, read in the same transaction, is online
   * and this process runs the device namespace), else `pending`. Creating
   * it `dispensing` is the `pending → dispensing` move made before anyone
   * could see the row. After commit the caller calls `send(order)`. A
   * device that went away in between gets the command again when it
   * reconnects (every `dispensing` order is re-sent), or the sweeper
   * refunds it after the vend timeout.
   */
  initialStatus(machine: Pick<Machine, 'status'>): OrderStatus.Pending | OrderStatus.Dispensing {
    return this.canSend(machine, { isTest: false }) ? OrderStatus.Dispensing : OrderStatus.Pending
  }

  /**
   * Sends a `dispensing` order's command to its machine (and records it in
   * the monitor): after a buy created it `dispensing` (`initialStatus`)
   * and committed, again for a command with no result yet
   * (`ResendUnansweredVends`), and on reconnect. Any other status sends
   * nothing.
   *
   * @param now the clock against the command's deadline
   */
  send(order: Order, now: DateTime = DateTime.now()): void {
    if (order.status === OrderStatus.Dispensing) this.sendCommand(order, now)
  }

  /**
   * Whether `order` may be sent to `machine` now: the device namespace runs
   * here and the machine is online (or in maintenance, for a test vend).
   */
  protected canSend(machine: Pick<Machine, 'status'>, order: Pick<Order, 'isTest'>): boolean {
    const sendable =
      machine.status === MachineStatus.Online ||
      (order.isTest === true && machine.status === MachineStatus.Maintenance)
    return sendable && this.channel.attached
  }

  /**
   * Emits the `vend` command to the order's machine, unless the command's
   * deadline has passed: then the device would only answer `expired`, and
   * the sweeper refunds the order.
   */
  protected sendCommand(order: Order, now: DateTime = DateTime.now()) {
    const expiresAt = order.vendExpiresAt
    if (!expiresAt || expiresAt <= now) return
    const command: VendCommand = {
      command_id: order.commandId,
      order_id: order.id,
      slot: order.slotNumber,
      expires_at: expiresAt.toUTC().toISO()!,
    }
    this.channel.sendToMachine(order.machineId, ServerToDeviceEvent.Vend, command)
    void this.monitor.record(
      order.machineId,
      'out',
      ServerToDeviceEvent.Vend,
      order.isTest ? { ...command, test: true } : { ...command }
    )
  }
}
