import type { Socket } from 'socket.io'
import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import DeviceChannel from '#services/device_channel'
import {
  AdminEvent,
  ServerToDeviceEvent,
  type ServerToDeviceEventName,
  type VendCommand,
} from '#services/device_protocol'

/**
 * One command the code under test sent to a machine's devices.
 */
export interface SentCommand {
  machineId: number
  event: ServerToDeviceEventName
  payload: object
  /** `machine:<id>` (`sendToMachine`) or `display:<id>` (`sendToGreeted`). */
  room: 'machine' | 'display'
}

/**
 * One emit to a live page: `/orders` (`shoppers`, to `room`) or `/admin`.
 */
export interface PageEmit {
  namespace: 'shoppers' | 'admins'
  room: string | null
  event: string
  payload: unknown
}

/**
 * A `DeviceChannel` with no socket.io behind it, for specs that call
 * actions directly: it records every command and page emit instead of
 * sending it, and the test says which machines have a device connected
 * (`connect` / `disconnect`).
 *
 * `attached` (the device namespace runs here, so a command can leave) is
 * true unless the test sets it false, as in a process that never started
 * socket.io. A command is recorded, and reported sent, whenever the
 * channel is attached, whether or not the machine's device is connected:
 * a real emit to an empty room is sent too, and is simply lost.
 *
 * `DispatchVend` decides on `attached` and the machine's stored status
 * (`online`), not on `isConnected`; `connect` answers `isConnected` and
 * `isConnectedHere`, which presence, key rotation and test vends ask.
 *
 * Swap it in with `useFakeDeviceChannel(group)`; `app.container.make`
 * then returns it to everything resolved after the swap. A container
 * singleton first made during the swap (`SocketServer`) would keep it:
 * groups using the fake do not start the socket.io server.
 */
export class FakeDeviceChannel extends DeviceChannel {
  readonly commands: SentCommand[] = []
  readonly pageEmits: PageEmit[] = []
  readonly disconnects: number[] = []
  #connected = new Set<number>()
  #attached = true

  override get attached(): boolean {
    return this.#attached
  }

  /**
   * Whether commands can leave at all (false: as if socket.io never started).
   */
  setAttached(attached: boolean): this {
    this.#attached = attached
    return this
  }

  /**
   * The machine's device is connected from now on.
   */
  connect(machineId: number): this {
    this.#connected.add(machineId)
    return this
  }

  /**
   * The machine's device is gone from now on (a test's doing, not recorded
   * in `disconnects`).
   */
  disconnect(machineId: number): this {
    this.#connected.delete(machineId)
    return this
  }

  /**
   * Forgets everything recorded and every connection; attached again.
   */
  reset(): void {
    this.commands.length = 0
    this.pageEmits.length = 0
    this.disconnects.length = 0
    this.#connected.clear()
    this.#attached = true
  }

  /**
   * The recorded `vend` commands, oldest first (optionally of one machine).
   */
  vendCommands(machineId?: number): (SentCommand & { payload: VendCommand })[] {
    return this.commands.filter(
      (command): command is SentCommand & { payload: VendCommand } =>
        command.event === ServerToDeviceEvent.Vend &&
        (machineId === undefined || command.machineId === machineId)
    )
  }

  override sendToMachine(
    machineId: number,
    event: ServerToDeviceEventName,
    payload: object
  ): boolean {
    if (!this.#attached) return false
    this.commands.push({ machineId, event, payload: structuredClone(payload), room: 'machine' })
    return true
  }

  override sendToGreeted(
    machineId: number,
    event: ServerToDeviceEventName,
    payload: object
  ): boolean {
    if (!this.#attached) return false
    this.commands.push({ machineId, event, payload: structuredClone(payload), room: 'display' })
    return true
  }

  override sendToLocalDevices(): void {}

  override emitToShoppers(room: string, event: string, payload: unknown): void {
    this.pageEmits.push({ namespace: 'shoppers', room, event, payload: structuredClone(payload) })
  }

  override emitToAdmins(event: string, payload: unknown): void {
    this.pageEmits.push({
      namespace: 'admins',
      room: null,
      event,
      payload: structuredClone(payload),
    })
  }

  /**
   * Recorded as a page emit, at once: no interval timer to outlive a test.
   */
  override notifyFleet(): void {
    this.emitToAdmins(AdminEvent.FleetChanged, {})
  }

  override disconnectMachine(machineId: number): void {
    this.disconnects.push(machineId)
    this.#connected.delete(machineId)
  }

  override disconnectMachineExcept(machineId: number): void {
    this.disconnects.push(machineId)
  }

  override adopt(machineId: number, _socket: Socket): Socket | undefined {
    this.#connected.add(machineId)
    return undefined
  }

  override release(machineId: number, _socket: Socket): boolean {
    return this.#connected.delete(machineId)
  }

  override isCurrent(machineId: number): boolean {
    return this.#connected.has(machineId)
  }

  override get connectedCount(): number {
    return this.#connected.size
  }

  override isConnectedHere(machineId: number): boolean {
    return this.#connected.has(machineId)
  }

  override async isConnected(machineId: number): Promise<boolean> {
    return this.#connected.has(machineId)
  }
}

/**
 * Swaps the container's `DeviceChannel` for a `FakeDeviceChannel` for the
 * whole group (restored after it), emptied before each test.
 *
 * @returns the fake, the same instance for every test of the group
 */
export function useFakeDeviceChannel(group: Group): FakeDeviceChannel {
  const fake = new FakeDeviceChannel()
  group.setup(() => {
    app.container.swap(DeviceChannel, () => fake)
    return () => app.container.restore(DeviceChannel)
  })
  group.each.setup(() => fake.reset())
  return fake
}
