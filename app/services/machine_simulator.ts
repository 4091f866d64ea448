import { VendResult } from '#enums/vend_result'
import DeviceClient, { type Dispenser } from '#services/device_client'
import type { VendCommand } from '#services/device_protocol'

/**
 * Settings of a simulated machine.
 *
 * - `url`: server origin, e.g. `http://127.0.0.1:3333`
 * - `dropRate`: probability (0..1) that a vend drops; of the rest,
 *   `jamRate` of the whole are jams and the remainder `no_drop`
 * - `vendMs`: how long the motor "turns" before the result, in milliseconds
 * - `resendMs`: how often an unacknowledged result is sent again
 */
export interface SimulatorOptions {
  url: string
  machine: string
  key: string
  dropRate?: number
  jamRate?: number
  vendMs?: number
  resendMs?: number
  firmware?: string
  log?: (message: string) => void
}

/**
 * A motor in software: each vend takes `vendMs` milliseconds and ends
 * `dropped` with probability `dropRate`, `jam` with probability `jamRate`,
 * `no_drop` otherwise.
 */
export class SimulatedMotor implements Dispenser {
  /** Running vends: their timers and how to abandon them. */
  #running = new Map<NodeJS.Timeout, (error: Error) => void>()

  constructor(protected options: { dropRate: number; jamRate: number; vendMs: number }) {}

  dispense(_command: VendCommand): Promise<VendResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#running.delete(timer)
        resolve(this.pickResult())
      }, this.options.vendMs)
      this.#running.set(timer, reject)
    })
  }

  /**
   * Abandons every vend in progress (their promises reject).
   */
  stop() {
    for (const [timer, reject] of this.#running) {
      clearTimeout(timer)
      reject(new Error('motor stopped'))
    }
    this.#running.clear()
  }

  protected pickResult(): VendResult {
    const roll = Math.random()
    if (roll < this.options.dropRate) return VendResult.Dropped
    if (roll < this.options.dropRate + this.options.jamRate) return VendResult.Jam
    return VendResult.NoDrop
  }
}

/**
 * A vending machine in software, speaking the real `/devices` protocol
 * (firmware/PROTOCOL.md) as the ESP32 sketch does: a `DeviceClient` (hello
 * first, each command id vended at most once, results resent until acked)
 * driving a `SimulatedMotor`. It reports fixed telemetry (`firmware`,
 * default `simulator-1.0`) after every `hello`.
 */
export default class MachineSimulator {
  readonly options: Required<Omit<SimulatorOptions, 'log'>> & Pick<SimulatorOptions, 'log'>
  #motor: SimulatedMotor
  #client: DeviceClient

  constructor(options: SimulatorOptions) {
    this.options = {
      dropRate: 1,
      jamRate: 0,
      vendMs: 800,
      resendMs: 2000,
      firmware: 'simulator-1.0',
      ...options,
    }
    this.#motor = new SimulatedMotor(this.options)
    this.#client = new DeviceClient(
      {
        url: this.options.url,
        machine: this.options.machine,
        key: this.options.key,
        resendMs: this.options.resendMs,
        status: { firmware: this.options.firmware, rssi: -50, free_heap: 180_000, sensor_ok: true },
        log: this.options.log,
      },
      this.#motor
    )
  }

  /** Results by command id: the device-side guard against double vends. */
  get results(): Map<string, VendResult> {
    return this.#client.results
  }

  /**
   * Connects and resolves once the server's `hello` arrived.
   *
   * @throws Error with the server's connect error (`invalid_credentials`)
   */
  connect(): Promise<void> {
    return this.#client.connect()
  }

  get connected(): boolean {
    return this.#client.connected
  }

  /**
   * Disconnects for good: a vend in progress is abandoned and nothing is
   * resent, so no timer outlives the simulator.
   */
  close() {
    this.#client.close()
    this.#motor.stop()
  }
}
