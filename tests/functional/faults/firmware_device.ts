import { io, type Socket } from 'socket.io-client'

/**
 * A vend command as the device receives it (firmware/PROTOCOL.md §3).
 */
export interface VendCommand {
  command_id: string
  order_id: number
  slot: number
}

/**
 * Settings of a `FirmwareDevice`.
 *
 * - `result`: what the motor reports for a new command (`dropped` by
 *   default); `null` makes a device that never answers (a dead board)
 * - `reconnect`: reconnect by itself after a lost link, every 200-500 ms
 *   like the Arduino client, instead of staying down
 * - `onVend`: called with each `vend` frame as it arrives, and the
 *   high-resolution time it arrived (`performance.now()`), for latency
 *   measurements in `bench/`
 * - `onAck`: called when the server acks a result, with the times the
 *   result was sent and acked (`performance.now()`)
 * - `flash`: see `DeviceFlash`
 * - `resendMs`: also re-send unacked results this often while connected
 *   (§6.3; a `server_error` ack, e.g. while the database restarts, is
 *   only retried this way or after the next `hello`)
 */
export interface FirmwareDeviceOptions {
  result?: string | null
  reconnect?: boolean
  onVend?: (command: VendCommand, at: number) => void
  onAck?: (commandId: string, sentAt: number, ackedAt: number) => void
  flash?: DeviceFlash
  resendMs?: number
}

/**
 * What the board keeps across connections and reboots (NVS): the results
 * of finished commands, and the command ids its motor turned for. Pass one
 * `flash` to successive `FirmwareDevice`s to model one board reconnecting.
 */
export interface DeviceFlash {
  results: Map<string, { result: string; acked: boolean }>
  dispensed: string[]
}

/**
 * A device that keeps the firmware's half of the at-most-once rules
 * (PROTOCOL.md §6), so fault tests can tell a server-side duplicate from a
 * device-side one:
 * - the motor turns at most once per `command_id` (`dispensed`), whatever
 *   the server re-sends;
 * - a result is re-sent after every `hello` until it is acked, and a
 *   re-sent `vend` for a finished command re-sends its stored result.
 *
 * `received` keeps every `vend` frame, duplicates included.
 */
export class FirmwareDevice {
  readonly socket: Socket
  readonly received: VendCommand[] = []
  readonly flash: DeviceFlash
  hellos = 0
  /** The last `connect_error` (e.g. `invalid_credentials`), for failure messages. */
  lastError: string | null = null
  /** Acks that were not `ok`, by error code (`server_error`: to resend). */
  readonly refusedAcks: Record<string, number> = {}
  #helloWaiters: (() => void)[] = []
  #resendTimer?: NodeJS.Timeout

  constructor(
    url: string,
    machine: string,
    key: string,
    protected options: FirmwareDeviceOptions = {}
  ) {
    this.flash = options.flash ?? { results: new Map(), dispensed: [] }
    this.socket = io(`${url}/devices`, {
      auth: { machine, key },
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnect ?? false,
      reconnectionDelay: 200,
      reconnectionDelayMax: 500,
      randomizationFactor: 0,
    })
    this.socket.on('hello', () => {
      this.hellos++
      for (const [commandId, stored] of this.results) if (!stored.acked) this.sendResult(commandId)
      this.#helloWaiters.splice(0).forEach((wake) => wake())
    })
    this.socket.on('vend', (command: VendCommand) => this.onVend(command))
    this.socket.on('connect_error', (error) => (this.lastError = error.message))
    if (options.resendMs) {
      this.#resendTimer = setInterval(() => {
        for (const [commandId, stored] of this.results)
          if (!stored.acked) this.sendResult(commandId)
      }, options.resendMs)
    }
  }

  /**
   * Command ids the motor turned for, in order.
   */
  get dispensed(): string[] {
    return this.flash.dispensed
  }

  get results() {
    return this.flash.results
  }

  /**
   * Resolves once `count` `hello`s have arrived in this device's life
   * (1: connected; 2: connected again after a lost link).
   *
   * @throws Error after `timeoutMs`
   */
  async waitForHello(count = 1, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.hellos < count) {
      if (Date.now() > deadline)
        throw new Error(
          `hello #${count} did not arrive (${this.hellos} so far; last error ${this.lastError})`
        )
      await new Promise<void>((resolve) => {
        this.#helloWaiters.push(resolve)
        setTimeout(resolve, 100)
      })
    }
  }

  /**
   * Resolves once `count` `vend` frames have arrived (duplicates count).
   */
  async waitForVends(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length < count) {
      if (Date.now() > deadline)
        throw new Error(`vend frame #${count} did not arrive (${this.received.length} so far)`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /**
   * The motor turned for a command and ended with `result`: stores it (for
   * resends) and reports it. A device whose `result` is `null` stays
   * silent until a test calls this.
   */
  finish(commandId: string, result: string) {
    if (!this.results.has(commandId)) {
      this.flash.dispensed.push(commandId)
      this.results.set(commandId, { result, acked: false })
    }
    this.sendResult(commandId)
  }

  close() {
    clearInterval(this.#resendTimer)
    this.socket.disconnect()
  }

  protected onVend(command: VendCommand) {
    this.received.push(command)
    this.options.onVend?.(command, performance.now())
    if (this.results.has(command.command_id)) {
      // §6.1.1: already done here; never turn the motor again.
      this.sendResult(command.command_id)
      return
    }
    const result = this.options.result === undefined ? 'dropped' : this.options.result
    if (result !== null) this.finish(command.command_id, result)
  }

  protected sendResult(commandId: string) {
    const stored = this.results.get(commandId)
    if (!stored || !this.socket.connected) return
    const sentAt = performance.now()
    this.socket
      .timeout(5000)
      .emitWithAck('vend_result', { command_id: commandId, result: stored.result })
      .then((ack: { ok: boolean; error?: string }) => {
        if (!ack.ok)
          this.refusedAcks[ack.error ?? '?'] = (this.refusedAcks[ack.error ?? '?'] ?? 0) + 1
        if (ack.ok || ack.error === 'invalid_payload') {
          if (!stored.acked) this.options.onAck?.(commandId, sentAt, performance.now())
          stored.acked = true
        }
      })
      // No ack (the link dropped): the next `hello` sends it again.
      .catch(() => {})
  }
}
