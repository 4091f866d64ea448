import app from '@adonisjs/core/services/app'
import Machine from '#models/machine'
import { MachineStatus } from '#enums/machine_status'
import SocketServer from '#sockets/server'
import DeviceChannel from '#services/device_channel'
import { eventually, type TestDevice } from '#tests/helpers/device'

/**
 * Anything a test opens that must be closed: a `TestDevice`, a shopper
 * socket, a raw protocol device, a `MachineSimulator`.
 */
export interface Closable {
  close(): void | Promise<void>
}

/**
 * The process's one socket.io server (the container singleton the test
 * server attached).
 */
export function sockets(): Promise<SocketServer> {
  return app.container.make(SocketServer)
}

/**
 * The process's `DeviceChannel` (its socket.io server once attached, and
 * which devices are connected).
 */
export function channel(): Promise<DeviceChannel> {
  return app.container.make(DeviceChannel)
}

/**
 * Resolves with the machine once its row has `status` (the gateway writes
 * connection changes a moment after the socket event).
 */
export function waitForMachineStatus(
  machineId: number,
  status: MachineStatus,
  timeoutMs = 5000
): Promise<Machine> {
  return eventually(async () => {
    const machine = await Machine.findOrFail(machineId)
    return machine.status === status ? machine : null
  }, timeoutMs)
}

/**
 * Resolves with the reason when the device's socket is disconnected
 * (`io server disconnect` when the server dropped it).
 */
export function disconnection(device: TestDevice, timeoutMs = 5000): Promise<string> {
  if (!device.socket.connected) return Promise.resolve('already disconnected')
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the device was not disconnected')), timeoutMs)
    device.socket.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve(reason)
    })
  })
}

/**
 * Closes everything given (each one, even when an earlier close throws),
 * then waits until the server holds no socket on `/devices` or `/orders`
 * any more. Every disconnect handler has then run and issued its "offline"
 * write before the tables are truncated, so a late write cannot land on the
 * next test's rows (PostgreSQL reuses ids after `TRUNCATE ... RESTART
 * IDENTITY`).
 *
 * @throws the first close error, or Error when a server socket outlives
 *   the wait (a socket the test opened but did not hand over)
 */
export async function closeAll(...closables: (Closable | undefined)[]) {
  const errors: unknown[] = []
  for (const closable of closables) {
    try {
      await closable?.close()
    } catch (error) {
      errors.push(error)
    }
  }
  if (errors.length > 0) throw errors[0]
  const io = (await sockets()).io
  if (!io) return
  await eventually(
    async () => io.of('/devices').sockets.size === 0 && io.of('/orders').sockets.size === 0
  )
}

/**
 * Collects what a test opens and closes all of it in one test `cleanup`
 * with `closeAll`, so a failing test never leaves a socket behind for the
 * next one. Call it first in the test:
 *
 *   const opened = closeAfter(cleanup)
 *   const device = opened(await connectDevice(machine.code, key))
 *
 * @returns `opened(closable)`, which records `closable` and returns it
 */
export function closeAfter(cleanup: (handler: () => Promise<void>) => void) {
  const closables: Closable[] = []
  cleanup(() => closeAll(...closables))
  return <T extends Closable>(closable: T): T => {
    closables.push(closable)
    return closable
  }
}
