import type { Namespace, Server, Socket } from 'socket.io'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import ClusterLock from '#services/cluster_lock'
import {
  AdminEvent,
  Namespaces,
  Rooms,
  ShopperEvent,
  type MachineEventMessage,
  type MachineStatusMessage,
  type ServerToDeviceEventName,
} from '#services/device_protocol'

/**
 * The way out to connected sockets, for code that must reach a device or a
 * live page without knowing socket.io: one per process (a container
 * singleton), bound to the socket.io server once `SocketServer` attached
 * it, unbound when it closes. Until then (an ace command, a worker, a test
 * that never attached) every send is a no-op that reports `false`.
 *
 * Emits go to rooms (`Rooms` in device_protocol), so with `REDIS_URL` the
 * socket.io Redis adapter carries them to whichever node holds the socket.
 *
 * It also keeps which machine's device is connected to this process (the
 * `/devices` handlers tell it), the base of `isConnected`.
 */
@inject()
export default class DeviceChannel {
  #io?: Server
  #devices?: Namespace
  #shoppers?: Namespace
  #admins?: Namespace
  /** The live socket of each machine connected to this process. */
  #connected = new Map<number, Socket>()
  /** The current `fleet_changed` interval, and whether it saw a change. */
  #fleetTimer?: NodeJS.Timeout
  #fleetChangedSince = false

  /** Shortest gap between two `fleet_changed` from one process (ms). */
  static readonly FLEET_NOTIFY_INTERVAL_MS = 1000

  constructor(protected cluster: ClusterLock = new ClusterLock()) {}

  /**
   * Binds the channel to a started socket.io server (its `/devices`,
   * `/orders` and `/admin` namespaces).
   */
  bind(io: Server): void {
    this.#io = io
    this.#devices = io.of(Namespaces.Devices)
    this.#shoppers = io.of(Namespaces.Orders)
    this.#admins = io.of(Namespaces.Admin)
  }

  /**
   * Forgets the server: sends become no-ops again, the connected devices
   * and a pending `fleet_changed` are dropped.
   */
  unbind(): void {
    this.#io = undefined
    this.#devices = undefined
    this.#shoppers = undefined
    this.#admins = undefined
    this.#connected.clear()
    clearTimeout(this.#fleetTimer)
    this.#fleetTimer = undefined
    this.#fleetChangedSince = false
  }

  /**
   * The socket.io server, once bound.
   */
  get io(): Server | undefined {
    return this.#io
  }

  /**
   * Whether the device namespace runs in this process, so a command sent
   * now can reach a device (here, or through the adapter on a neighbour).
   */
  get attached(): boolean {
    return this.#devices !== undefined
  }

  /**
   * Emits `event` with `payload` to the machine's devices (room
   * `machine:<id>` on `/devices`, any node).
   *
   * @returns whether it was sent: false when no socket.io server runs here
   */
  sendToMachine(machineId: number, event: ServerToDeviceEventName, payload: object): boolean {
    if (!this.#devices) return false
    this.#devices.to(Rooms.machine(machineId)).emit(event, payload)
    return true
  }

  /**
   * Emits to the machine's devices that have had their `hello` (room
   * `display:<id>`), for display codes.
   *
   * @returns whether it was sent: false when no socket.io server runs here
   */
  sendToGreeted(machineId: number, event: ServerToDeviceEventName, payload: object): boolean {
    if (!this.#devices) return false
    this.#devices.to(Rooms.display(machineId)).emit(event, payload)
    return true
  }

  /**
   * Emits to every device connected to this process only (not through the
   * adapter), e.g. `reconnect` when this node drains.
   */
  sendToLocalDevices(event: ServerToDeviceEventName, payload: object): void {
    this.#devices?.local.emit(event, payload)
  }

  /**
   * Emits `event` to a room of the `/orders` namespace (`Rooms.user`,
   * `Rooms.presence`).
   */
  emitToShoppers(room: string, event: string, payload: unknown): void {
    this.#shoppers?.to(room).emit(event, payload)
  }

  /**
   * Emits `event` to every dashboard on `/admin`.
   */
  emitToAdmins(event: string, payload: unknown): void {
    this.#admins?.emit(event, payload)
  }

  /**
   * Closes every `/admin` socket of panel user `userId` (room
   * `panel-user:<id>`), on every node through the adapter: a deactivated
   * user's live pages stop hearing the fleet at once.
   */
  disconnectPanelUser(userId: number): void {
    this.#admins?.in(Rooms.panelUser(userId)).disconnectSockets(true)
  }

  /**
   * `machine_status { code, status }` to the pages watching the machine
   * (room `presence:<id>` on `/orders`).
   */
  notifyMachineStatus(machine: { id: number; code: string; status: string }): void {
    this.emitToShoppers(Rooms.presence(machine.id), ShopperEvent.MachineStatus, {
      code: machine.code,
      status: machine.status,
    } satisfies MachineStatusMessage)
  }

  /**
   * `machine_event { machine_id, event }` to every dashboard.
   */
  notifyMachineEvent(message: MachineEventMessage): void {
    this.emitToAdmins(AdminEvent.MachineEvent, message)
  }

  /**
   * Tells every admin dashboard that the fleet changed (an order moved, a
   * machine came or went); pages re-fetch their figures (about seven
   * queries each). At most one `fleet_changed { at }` per
   * `FLEET_NOTIFY_INTERVAL_MS` leaves this process: the first change is
   * sent at once, later ones in the interval are folded into one sent when
   * it ends, so a busy fleet (hundreds of orders a second) costs each open
   * dashboard one refresh a second, not one per order.
   */
  notifyFleet(): void {
    if (this.#fleetTimer) {
      this.#fleetChangedSince = true
      return
    }
    this.emitToAdmins(AdminEvent.FleetChanged, { at: new Date().toISOString() })
    this.#fleetTimer = setTimeout(() => {
      this.#fleetTimer = undefined
      if (!this.#fleetChangedSince) return
      this.#fleetChangedSince = false
      this.notifyFleet()
    }, DeviceChannel.FLEET_NOTIFY_INTERVAL_MS)
    this.#fleetTimer.unref()
  }

  /**
   * Closes the machine's device sockets wherever they are connected, on any
   * node (through the adapter), e.g. after its key changed.
   */
  disconnectMachine(machineId: number): void {
    this.#devices?.in(Rooms.machine(machineId)).disconnectSockets(true)
  }

  /**
   * Closes the machine's device sockets on every node except `socketId`
   * (one connection per machine across nodes).
   */
  disconnectMachineExcept(machineId: number, socketId: string): void {
    this.#devices?.in(Rooms.machine(machineId)).except(socketId).disconnectSockets(true)
  }

  /**
   * Records `socket` as the machine's connection in this process.
   *
   * @returns the connection it replaces, if any
   */
  adopt(machineId: number, socket: Socket): Socket | undefined {
    const previous = this.#connected.get(machineId)
    this.#connected.set(machineId, socket)
    return previous
  }

  /**
   * Forgets the machine's connection if it is still `socket`.
   *
   * @returns whether it was (the machine's current connection went away)
   */
  release(machineId: number, socket: Socket): boolean {
    if (this.#connected.get(machineId) !== socket) return false
    this.#connected.delete(machineId)
    return true
  }

  /**
   * Whether `socket` is the machine's current connection in this process.
   */
  isCurrent(machineId: number, socket: Socket): boolean {
    return this.#connected.get(machineId) === socket
  }

  /**
   * How many machines have a device connected to this process
   * (`vendora_devices_connected`).
   */
  get connectedCount(): number {
    return this.#connected.size
  }

  /**
   * Whether a machine's device is connected to this process (tests, and
   * the choice of which node writes its presence).
   */
  isConnectedHere(machineId: number): boolean {
    return this.#connected.has(machineId)
  }

  /**
   * Whether a machine's device is connected to any node: this process, or
   * (with `REDIS_URL`) a neighbour, asked through the adapter (each node
   * answers within socket.io's `requestsTimeout`, 5 s). When a neighbour
   * does not answer, the presence column decides (`connected_node` set).
   */
  async isConnected(machineId: number): Promise<boolean> {
    if (this.#connected.has(machineId)) return true
    if (!this.cluster.enabled || !this.#devices) return false
    try {
      const sockets = await this.#devices.in(Rooms.machine(machineId)).fetchSockets()
      return sockets.length > 0
    } catch (error) {
      logger.warn(
        { err: error, machineId },
        'asking the other nodes for a device failed; using the presence column'
      )
      const machine = await db
        .from('machines')
        .where('id', machineId)
        .select('connected_node')
        .first()
      return Boolean(machine?.connected_node)
    }
  }
}
