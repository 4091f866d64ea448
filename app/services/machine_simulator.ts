import { createHash, createPublicKey, verify } from 'node:crypto'
import { VendResult } from '#enums/vend_result'
import DeviceClient, { type Dispenser, type Updater } from '#services/device_client'
import {
  OtaProgressState,
  type OtaCommand,
  type OtaProgressMessage,
  type VendCommand,
} from '#services/device_protocol'

/**
 * Settings of a simulated machine.
 *
 * - `url`: server origin, e.g. `http://127.0.0.1:3333`
 * - `dropRate`: probability (0..1) that a vend drops; of the rest,
 *   `jamRate` of the whole are jams and the remainder `no_drop`
 * - `vendMs`: how long the motor "turns" before the result, in milliseconds
 * - `resendMs`: how often an unacknowledged result is sent again
 * - `firmware`: the version reported in `status` (default `simulator-1.0`)
 * - `releasePublicKey`: the firmware release public key (SPKI PEM) that
 *   update images must be signed with; without it the simulator answers
 *   every `ota` `not_supported`, as a board built without a key does
 * - `restartMs`: how long a restart into a new firmware takes (ms)
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
  releasePublicKey?: string | null
  restartMs?: number
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
 * Firmware updates in software: downloads the image of an `ota` over HTTP
 * and checks it as the sketch does (size, SHA-256, then the ECDSA P-256
 * signature over the image with the release public key), reporting the
 * same `ota_progress` frames (firmware/PROTOCOL.md §13.1). Nothing is
 * flashed: a checked image only makes the simulator report its version.
 */
export class SimulatedUpdater implements Updater {
  constructor(protected releasePublicKey: string | null) {}

  async install(
    command: OtaCommand,
    progress: (frame: OtaProgressMessage) => void
  ): Promise<boolean> {
    const version = command.version
    const failed = (reason: string) => {
      progress({ version, state: OtaProgressState.Failed, reason })
      return false
    }
    if (!this.releasePublicKey) return failed('not_supported')

    progress({ version, state: OtaProgressState.Downloading, percent: 0 })
    let image: Buffer
    try {
      const response = await fetch(command.url, { signal: AbortSignal.timeout(20_000) })
      if (!response.ok) return failed('download_failed')
      image = Buffer.from(await response.arrayBuffer())
    } catch {
      return failed('download_failed')
    }
    if (image.length > command.size) return failed('size_mismatch')
    if (image.length < command.size) return failed('download_failed')
    for (let percent = 10; percent <= 100; percent += 10) {
      progress({ version, state: OtaProgressState.Downloading, percent })
    }

    progress({ version, state: OtaProgressState.Verifying })
    const sha256 = createHash('sha256').update(image).digest('hex')
    if (sha256 !== String(command.sha256).toLowerCase()) return failed('sha256_mismatch')
    let signed = false
    try {
      const key = createPublicKey(this.releasePublicKey)
      signed = verify('sha256', image, key, Buffer.from(String(command.signature), 'base64'))
    } catch {
      signed = false
    }
    if (!signed) return failed('bad_signature')

    progress({ version, state: OtaProgressState.Rebooting })
    return true
  }
}

/**
 * A vending machine in software, speaking the real `/devices` protocol
 * (firmware/PROTOCOL.md) as the ESP32 sketch does: a `DeviceClient` (hello
 * first, each command id vended at most once, results resent until acked)
 * driving a `SimulatedMotor`, and a `SimulatedUpdater` for `ota`. It
 * reports fixed telemetry (`firmware`, default `simulator-1.0`, then the
 * version of each update it installed) after every `hello`.
 */
export default class MachineSimulator {
  readonly options: Required<Omit<SimulatorOptions, 'log' | 'releasePublicKey'>> &
    Pick<SimulatorOptions, 'log' | 'releasePublicKey'>
  #motor: SimulatedMotor
  #client: DeviceClient

  constructor(options: SimulatorOptions) {
    this.options = {
      dropRate: 1,
      jamRate: 0,
      vendMs: 800,
      resendMs: 2000,
      firmware: 'simulator-1.0',
      restartMs: 1500,
      ...options,
    }
    this.#motor = new SimulatedMotor(this.options)
    this.#client = new DeviceClient(
      {
        url: this.options.url,
        machine: this.options.machine,
        key: this.options.key,
        resendMs: this.options.resendMs,
        restartMs: this.options.restartMs,
        status: { firmware: this.options.firmware, rssi: -50, free_heap: 180_000, sensor_ok: true },
        log: this.options.log,
      },
      this.#motor,
      new SimulatedUpdater(this.options.releasePublicKey ?? null)
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

  /** The firmware version it reports now (changes with each update it installs). */
  get firmware(): string | undefined {
    return this.#client.options.status?.firmware
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
