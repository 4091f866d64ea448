import { io, type Socket } from 'socket.io-client'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import vendingConfig from '#config/vending'
import Machine from '#models/machine'
import Order from '#models/order'
import Slot from '#models/slot'
import Product from '#models/product'
import { MachineStatus } from '#enums/machine_status'
import DeviceChannel from '#services/device_channel'
import {
  DeviceToServerEvent,
  Namespaces,
  ServerToDeviceEvent,
  type VendCommand as ProtocolVendCommand,
} from '#services/device_protocol'
import { baseUrl } from '#tests/helpers/server'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'

/**
 * A vend command as the device receives it from this server (always with
 * its deadline).
 */
export type VendCommand = Required<ProtocolVendCommand>

/**
 * The `vend` command the server must send for order `orderId`, computed
 * here from the stored order as PROTOCOL.md §3 defines it: `expires_at` is
 * the stored dispatch time plus `VEND_TIMEOUT_MS`, ISO 8601 UTC.
 */
export async function expectedVend(orderId: number): Promise<VendCommand> {
  const order = await Order.findOrFail(orderId)
  if (!order.dispatchedAt) throw new Error(`order ${orderId} was never dispatched`)
  return {
    command_id: order.commandId,
    order_id: order.id,
    slot: order.slotNumber,
    expires_at: new Date(order.dispatchedAt.toMillis() + vendingConfig.vendTimeoutMs).toISOString(),
  }
}

/**
 * A test device: a real socket.io client on `/devices`, recording the
 * `vend` commands it receives. Nothing answers automatically: tests decide
 * what the device reports and when.
 */
export class TestDevice {
  readonly commands: VendCommand[] = []
  #consumed = 0
  #waiters: ((command: VendCommand) => void)[] = []

  constructor(readonly socket: Socket) {
    socket.on(ServerToDeviceEvent.Vend, (command: VendCommand) => {
      this.commands.push(command)
      this.#waiters.splice(0).forEach((wake) => wake(command))
    })
  }

  /**
   * Resolves with the next `vend` command not yet taken by an earlier
   * call, waiting for it if it has not arrived.
   */
  nextVend(timeoutMs = 5000): Promise<VendCommand> {
    const index = this.#consumed++
    if (this.commands.length > index) return Promise.resolve(this.commands[index])
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`vend command #${index + 1} did not arrive`)),
        timeoutMs
      )
      const wait = () => {
        if (this.commands.length > index) {
          clearTimeout(timer)
          resolve(this.commands[index])
        } else {
          this.#waiters.push(wait)
        }
      }
      this.#waiters.push(wait)
    })
  }

  /**
   * Sends `vend_result` and resolves with the server's ack.
   */
  report(commandId: string, result: string): Promise<{ ok: boolean; error?: string }> {
    return this.socket
      .timeout(5000)
      .emitWithAck(DeviceToServerEvent.VendResult, { command_id: commandId, result })
  }

  close() {
    this.socket.disconnect()
  }
}

/**
 * Connects as `machine` with `key` and resolves once the server's `hello`
 * arrived (the namespace is joined and the machine is online).
 *
 * @throws the connect error (e.g. `invalid_credentials`) when refused
 */
export function connectDevice(
  machine: string,
  key: string,
  transports: ('polling' | 'websocket')[] = ['websocket']
) {
  return new Promise<TestDevice>((resolve, reject) => {
    const socket = io(`${baseUrl()}${Namespaces.Devices}`, {
      auth: { machine, key },
      transports,
      reconnection: false,
      forceNew: true,
    })
    const device = new TestDevice(socket)
    socket.once(ServerToDeviceEvent.Hello, () => resolve(device))
    socket.once('connect_error', (error) => reject(error))
  })
}

/**
 * A machine with `slots` slots of one product each, stocked with
 * `quantity`, and its plain device key. Status starts offline: connect a
 * device to bring it online.
 */
export async function createMachine(
  options: {
    code?: string
    key?: string
    quantity?: number
    pricePaise?: number
    isRefundable?: boolean
  } = {}
) {
  const key = options.key ?? 'test-device-key'
  const machine = await Machine.create({
    code: options.code ?? `m-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Test machine',
    deviceKeyHash: await hash.make(key),
    status: MachineStatus.Offline,
  })
  const product = await Product.create({
    name: 'Test snack',
    pricePaise: options.pricePaise ?? 2500,
    isRefundable: options.isRefundable ?? true,
    isActive: true,
  })
  const slot = await Slot.create({
    machineId: machine.id,
    number: 1,
    productId: product.id,
    quantity: options.quantity ?? 5,
    capacity: Math.max(options.quantity ?? 5, 10),
  })
  return { machine, product, slot, key }
}

/**
 * Polls `check` until it returns a truthy value (real async effects of
 * socket events land in the database a moment later).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 5000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * Waits until the server has written machine `machineId` online. The
 * gateway greets a device with `hello` a moment before that write, so a
 * buy sent right after `connectDevice` could still find the machine offline.
 */
export async function waitUntilOnline(machineId: number) {
  await eventually(async () => (await Machine.find(machineId))?.status === MachineStatus.Online)
}

/**
 * Like `createMachine` (one slot, number 1, of one product), with a device
 * connected and the machine online. Built with the factories, whose device
 * key is hashed once per run (scrypt is slow on purpose). Disconnect the
 * device with `disconnectDevice` at the end of the test.
 */
export async function createOnlineMachine(
  options: { code?: string; quantity?: number; pricePaise?: number; isRefundable?: boolean } = {}
) {
  const quantity = options.quantity ?? 5
  const machine = await MachineFactory.merge(options.code ? { code: options.code } : {}).create()
  const product = await ProductFactory.merge({
    pricePaise: options.pricePaise ?? 2500,
    isRefundable: options.isRefundable ?? true,
  }).create()
  const slot = await SlotFactory.merge({
    machineId: machine.id,
    number: 1,
    productId: product.id,
    quantity,
    capacity: Math.max(quantity, 10),
  }).create()
  const device = await connectDevice(machine.code, TEST_DEVICE_KEY)
  await waitUntilOnline(machine.id)
  return { machine, product, slot, key: TEST_DEVICE_KEY, device }
}

/**
 * Disconnects a device and waits until the server has handled it: the
 * socket handlers forgot the socket and wrote the machine offline. Tests call it
 * before the tables are truncated, so a late "offline" write can never land
 * on the next test's machine (PostgreSQL reuses ids after TRUNCATE ...
 * RESTART IDENTITY). A machine in `maintenance` stays so; lift it first.
 */
export async function disconnectDevice(device: TestDevice, machineId: number) {
  const channel = await app.container.make(DeviceChannel)
  device.close()
  await eventually(async () => !(await channel.isConnected(machineId)))
  await eventually(async () => (await Machine.find(machineId))?.status !== MachineStatus.Online)
}
