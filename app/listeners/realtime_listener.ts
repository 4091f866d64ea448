import { inject } from '@adonisjs/core'
import DeviceChannel from '#services/device_channel'
import { AdminEvent, Rooms, ShopperEvent } from '#services/device_protocol'
import type { OrderUpdate } from '#services/order_events'
import type { MachineEventRecorded, MachineStatusChange } from '#services/fleet_events'
import type { RolloutChanged } from '#services/rollout_events'

/**
 * The one real-time fan-out: forwards committed changes to live sockets
 * through `DeviceChannel` (a no-op in a process with no socket.io server).
 */
@inject()
export default class RealtimeListener {
  constructor(protected channel: DeviceChannel) {}

  /**
   * `order:updated`: the shopper's live sockets get `order_updated` (room
   * `user:<id>` on `/orders`), and dashboards a `fleet_changed`.
   */
  orderUpdated(update: OrderUpdate): void {
    this.channel.emitToShoppers(Rooms.user(update.userId), ShopperEvent.OrderUpdated, update.order)
    this.channel.notifyFleet()
  }

  /**
   * `fleet:changed`: dashboards get `fleet_changed` (folded to one a
   * second, `DeviceChannel.notifyFleet`).
   */
  fleetChanged(): void {
    this.channel.notifyFleet()
  }

  /**
   * `machine:status`: pages watching the machine get `machine_status`.
   */
  machineStatus(machine: MachineStatusChange): void {
    this.channel.notifyMachineStatus(machine)
  }

  /**
   * `machine:event`: dashboards get `machine_event { machine_id, event }`.
   */
  machineEvent(recorded: MachineEventRecorded): void {
    this.channel.notifyMachineEvent({ machine_id: recorded.machineId, event: recorded.event })
  }

  /**
   * `rollout:changed`: dashboards get `rollout_changed { rollout_id }`.
   */
  rolloutChanged(change: RolloutChanged): void {
    this.channel.emitToAdmins(AdminEvent.RolloutChanged, { rollout_id: change.rollout_id })
  }

  /**
   * `user:deactivated`: the user's `/admin` sockets are closed.
   */
  userDeactivated(event: { userId: number }): void {
    this.channel.disconnectPanelUser(event.userId)
  }
}
