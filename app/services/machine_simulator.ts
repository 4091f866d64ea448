import { io, type Socket } from 'socket.io-client'
import { VendResult } from '#enums/vend_result'

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
 * A vending machine in software, speaking the real `/devices` protocol
 * (firmware/PROTOCOL.md) with socket.io-client, as the ESP32 sketch does:
 * it sends nothing before `hello`, vends each command id at most once
 * (a repeated `vend` gets the stored result again), and resends each
 * `vend_result` until the server acks it.
 */
export default class MachineSimulator {
  readonly options: Required<Omit<SimulatorOptions, 'log'>> & Pick<SimulatorOptions, 'log'>
  #socket?: Socket
  /** Results by command id: the device-side guard against double vends. */
  readonly results = new Map<string, VendResult>()
  #unacked = new Map<string, NodeJS.Timeout>()
  #vending = new Set<string>()
  #vendTimers = new Set<NodeJS.Timeout>()
  #hello = false
  #closed = false

  constructor(options: SimulatorOptions) {
    this.options = { dropRate: 1, jamRate: 0, vendMs: 800, resendMs: 2000, firmware: 'simulator-1.0', ...options }
  }

  /**
   * Connects and resolves once the server's `hello` arrived.
   *
   * @throws Error with the server's connect error (`invalid_credentials`)
   */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = io(`${this.options.url}/devices`, {
        auth: { machine: this.options.machine, key: this.options.key },
        transports: ['polling', 'websocket'],
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
      })
      this.#socket = socket

      socket.on('hello', () => {
        this.#hello = true
        this.log(`connected as ${this.options.machine}`)
        socket.emit('status', { firmware: this.options.firmware, rssi: -50, free_heap: 180_000, sensor_ok: true })
        for (const commandId of this.#unacked.keys()) this.sendResult(commandId)
        resolve()
      })
      socket.on('disconnect', () => {
        this.#hello = false
      })
      socket.on('connect_error', (error) => {
        if (!socket.active) reject(error)
      })
      socket.on('vend', (command: { command_id: string; order_id: number; slot: number }) => this.onVend(command))
    })
  }

  get connected() {
    return this.#hello && Boolean(this.#socket?.connected)
  }

  /**
   * Disconnects for good: a vend in progress is abandoned and nothing is
   * resent, so no timer outlives the simulator.
   */
  close() {
    this.#closed = true
    for (const timer of [...this.#unacked.values(), ...this.#vendTimers]) clearTimeout(timer)
    this.#unacked.clear()
    this.#vendTimers.clear()
    this.#vending.clear()
    this.#socket?.disconnect()
  }

  protected onVend(command: { command_id: string; slot: number }) {
    const known = this.results.get(command.command_id)
    if (known) {
      this.sendResult(command.command_id)
      return
    }
    if (this.#vending.has(command.command_id)) return

    this.#vending.add(command.command_id)
    this.log(`vending slot ${command.slot} (${command.command_id})`)
    const timer = setTimeout(() => {
      this.#vendTimers.delete(timer)
      this.#vending.delete(command.command_id)
      this.results.set(command.command_id, this.pickResult())
      this.sendResult(command.command_id)
    }, this.options.vendMs)
    this.#vendTimers.add(timer)
  }

  protected pickResult(): VendResult {
    const roll = Math.random()
    if (roll < this.options.dropRate) return VendResult.Dropped
    if (roll < this.options.dropRate + this.options.jamRate) return VendResult.Jam
    return VendResult.NoDrop
  }

  protected sendResult(commandId: string) {
    if (this.#closed) return
    clearTimeout(this.#unacked.get(commandId))
    const result = this.results.get(commandId)!
    this.#unacked.set(
      commandId,
      setTimeout(() => this.sendResult(commandId), this.options.resendMs)
    )
    if (!this.connected) return

    this.#socket!.emit('vend_result', { command_id: commandId, result }, (reply: { ok?: boolean }) => {
      if (reply?.ok) {
        clearTimeout(this.#unacked.get(commandId))
        this.#unacked.delete(commandId)
        this.log(`result ${result} acknowledged (${commandId})`)
      }
    })
  }

  protected log(message: string) {
    this.options.log?.(`[${this.options.machine}] ${message}`)
  }
}
