import { io, type Socket } from 'socket.io-client'
import { VendResult } from '#enums/vend_result'
import {
  DeviceToServerEvent,
  Namespaces,
  ProtocolError,
  ServerToDeviceEvent,
  type DeviceStatus,
  type HelloMessage,
  type VendCommand,
  type VendResultAck,
} from '#services/device_protocol'

export type { DeviceStatus, VendCommand } from '#services/device_protocol'

/**
 * What turns the motor behind a `DeviceClient`: a simulated motor, or a
 * board on a serial line.
 */
export interface Dispenser {
  /**
   * Dispenses one item for `command` and resolves with what happened.
   * The client calls it at most once per command id while it is running,
   * and never again once it resolved (the stored result is reported
   * instead).
   *
   * It may take as long as the hardware needs, and may never settle: the
   * client then reports nothing and the server's vend timeout refunds the
   * shopper. A dispenser must never invent a result it does not know.
   * Rejecting means "not dispensed, no result": the client forgets the
   * command, so a later re-send by the server dispenses it afresh.
   */
  dispense(command: VendCommand): Promise<VendResult>

  /**
   * Optional. The server sent `command` again while its `dispense()` has
   * not settled (it re-sends every command awaiting a result after each
   * reconnect). A dispenser whose far end may have missed the first request
   * (a serial line, a rebooted board) asks again; the far end must ignore a
   * command id it is already vending or has vended.
   */
  redeliver?(command: VendCommand): void
}

/**
 * Settings of a device client.
 *
 * - `url`: server origin, e.g. `http://127.0.0.1:3333` (the client joins
 *   `<url>/devices`)
 * - `machine`, `key`: the machine's code and plain device key
 * - `status`: telemetry sent after every `hello`; none when omitted
 * - `resendMs`: how often an unacknowledged result is sent again, in
 *   milliseconds (default 2000)
 * - `refusedRetryMs`: after the server refused a reconnect (for example
 *   `server_error` while its database is down), how long to wait before
 *   trying again, in milliseconds (default 30 000, as PROTOCOL.md asks)
 * - `keepResults`: how many acknowledged results to remember for
 *   de-duplication before the oldest are forgotten (default 1000)
 * - `log`: receives one line per event, prefixed with `[<machine>]`
 */
export interface DeviceClientOptions {
  url: string
  machine: string
  key: string
  status?: DeviceStatus
  resendMs?: number
  refusedRetryMs?: number
  keepResults?: number
  log?: (message: string) => void
}

/**
 * The device side of the `/devices` protocol (firmware/PROTOCOL.md), over
 * socket.io-client, as the ESP32 sketch speaks it, with the motor left to a
 * `Dispenser`:
 *
 * - it sends nothing before the server's `hello`;
 * - it dispenses each command id at most once: a `vend` for a command it
 *   has a result for gets that result again, and one still being dispensed
 *   is handed to `Dispenser.redeliver` instead of a second `dispense`;
 * - it resends each `vend_result` every `resendMs` and after every `hello`
 *   until the server acks it (`ok: true`, or `invalid_payload`, which no
 *   resend can fix);
 * - it reconnects by itself when the link drops.
 *
 * Used by `MachineSimulator` (a simulated motor) and `SerialBridge` (a
 * board on a USB serial line).
 */
export default class DeviceClient {
  /** Results by command id: the device-side guard against double vends. */
  readonly results = new Map<string, VendResult>()
  readonly options: Required<Omit<DeviceClientOptions, 'log' | 'status'>> &
    Pick<DeviceClientOptions, 'log' | 'status'>
  #socket?: Socket
  /** Commands whose `dispense()` has not settled, by id. */
  #dispensing = new Map<string, VendCommand>()
  /** Resend timers of results not yet acknowledged, by command id. */
  #unacked = new Map<string, NodeJS.Timeout>()
  #retryTimer?: NodeJS.Timeout
  #rejectConnect?: (error: Error) => void
  #hello = false
  /** Server clock minus ours at the last `hello` (ms), for vend deadlines. */
  #clockOffsetMs = 0
  #greeted = false
  #unreachable = false
  #closed = false

  constructor(
    options: DeviceClientOptions,
    protected dispenser: Dispenser
  ) {
    this.options = {
      ...options,
      resendMs: options.resendMs ?? 2000,
      refusedRetryMs: options.refusedRetryMs ?? 30_000,
      keepResults: options.keepResults ?? 1000,
    }
  }

  /**
   * Connects and resolves once the server's first `hello` arrived. After
   * that the client keeps itself connected until `close()`.
   *
   * @throws Error with the server's connect error (`invalid_credentials`,
   *   `server_error`) when the first connection is refused, or `closed` when
   *   `close()` is called first. An unreachable server is retried without
   *   end (the promise stays pending; the outage is logged once).
   */
  connect(): Promise<void> {
    if (this.#socket) return Promise.reject(new Error('connect() was already called'))
    return new Promise((resolve, reject) => {
      this.#rejectConnect = reject
      const socket = io(`${this.options.url}${Namespaces.Devices}`, {
        auth: { machine: this.options.machine, key: this.options.key },
        transports: ['polling', 'websocket'],
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
      })
      this.#socket = socket

      socket.on(ServerToDeviceEvent.Hello, (hello?: Partial<HelloMessage>) => {
        const serverTime = Date.parse(hello?.server_time ?? '')
        if (Number.isFinite(serverTime)) this.#clockOffsetMs = serverTime - Date.now()
        this.#hello = true
        this.#greeted = true
        this.#unreachable = false
        this.#rejectConnect = undefined
        this.log(`connected as ${this.options.machine}`)
        if (this.options.status) socket.emit(DeviceToServerEvent.Status, this.options.status)
        for (const commandId of this.#unacked.keys()) this.sendResult(commandId)
        resolve()
      })
      socket.on('disconnect', () => {
        this.#hello = false
      })
      socket.on('connect_error', (error) => this.onConnectError(socket, error, reject))
      socket.on(ServerToDeviceEvent.Vend, (command: VendCommand) => this.onVend(command))
    })
  }

  /**
   * Whether the server's `hello` arrived on the current connection.
   */
  get connected(): boolean {
    return this.#hello && Boolean(this.#socket?.connected)
  }

  /**
   * Disconnects for good. Nothing is resent afterwards and no timer
   * outlives the client; results of dispenses still running are dropped
   * (the dispenser's owner stops it).
   */
  close(): void {
    this.#closed = true
    for (const timer of this.#unacked.values()) clearTimeout(timer)
    this.#unacked.clear()
    clearTimeout(this.#retryTimer)
    this.#dispensing.clear()
    this.#rejectConnect?.(new Error('closed'))
    this.#rejectConnect = undefined
    this.#socket?.disconnect()
  }

  /**
   * Records a result that the dispenser learned without a `dispense()`
   * call (a board reporting `interrupted` after a reboot, or a result that
   * arrived after this process restarted) and sends it until acked. The
   * server ignores command ids that are not this machine's. A command id
   * that already has a result keeps the first one.
   *
   * @returns whether the result was new
   */
  report(commandId: string, result: VendResult): boolean {
    if (this.#closed || this.results.has(commandId)) return false
    this.#dispensing.delete(commandId)
    this.results.set(commandId, result)
    this.sendResult(commandId)
    return true
  }

  protected onConnectError(socket: Socket, error: Error, reject: (error: Error) => void) {
    if (this.#closed) return
    if (socket.active) {
      // Unreachable server: socket.io-client retries by itself.
      if (!this.#unreachable)
        this.log(`cannot reach ${this.options.url} (${error.message}), retrying`)
      this.#unreachable = true
      return
    }
    // Refused by the server: socket.io-client gives up.
    if (!this.#greeted) {
      this.#rejectConnect = undefined
      reject(error)
      return
    }
    this.log(`connection refused (${error.message}), retrying in ${this.options.refusedRetryMs} ms`)
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => socket.connect(), this.options.refusedRetryMs)
  }

  protected onVend(command: VendCommand) {
    if (this.#closed || typeof command?.command_id !== 'string') return
    const commandId = command.command_id

    const known = this.results.get(commandId)
    if (known) {
      this.log(`${commandId} sent again: already ${known}, resending the result`)
      this.sendResult(commandId)
      return
    }
    if (this.#dispensing.has(commandId)) {
      this.dispenser.redeliver?.(command)
      return
    }

    // Past its deadline by the server's clock (as the firmware keeps it
    // from `hello`): the order is being refunded, so no motor may turn.
    const deadline = Date.parse(command.expires_at ?? '')
    if (Number.isFinite(deadline) && Date.now() + this.#clockOffsetMs >= deadline) {
      this.log(`${commandId} arrived past its deadline: expired`)
      this.report(commandId, VendResult.Expired)
      return
    }

    this.#dispensing.set(commandId, command)
    this.log(`vending slot ${command.slot} (${commandId})`)
    this.dispenser.dispense(command).then(
      (result) => {
        if (this.#closed || !this.#dispensing.delete(commandId)) return
        this.results.set(commandId, result)
        this.sendResult(commandId)
      },
      (error: Error) => {
        if (this.#closed || !this.#dispensing.delete(commandId)) return
        this.log(`dispense failed, no result reported (${commandId}): ${error.message}`)
      }
    )
  }

  /**
   * Sends the stored result of `commandId` now (when connected) and again
   * every `resendMs` until it is acknowledged.
   */
  protected sendResult(commandId: string) {
    if (this.#closed) return
    const result = this.results.get(commandId)
    if (!result) return
    clearTimeout(this.#unacked.get(commandId))
    this.#unacked.set(
      commandId,
      setTimeout(() => this.sendResult(commandId), this.options.resendMs)
    )
    if (!this.connected) return

    this.#socket!.emit(
      DeviceToServerEvent.VendResult,
      { command_id: commandId, result },
      (reply: VendResultAck) => {
        if (!this.#unacked.has(commandId)) return
        if (reply?.ok) {
          this.settle(commandId)
          this.log(`result ${result} acknowledged (${commandId})`)
        } else if (reply?.error === ProtocolError.InvalidPayload) {
          // The same bytes can never succeed: a bug to fix, not to retry.
          this.settle(commandId)
          this.log(`result ${result} refused as invalid_payload (${commandId}); not resending`)
        }
        // server_error: the resend timer tries again.
      }
    )
  }

  /**
   * Stops resending `commandId` and forgets the oldest acknowledged results
   * beyond `keepResults` (never one still unacknowledged).
   */
  protected settle(commandId: string) {
    clearTimeout(this.#unacked.get(commandId))
    this.#unacked.delete(commandId)
    let excess = this.results.size - this.options.keepResults
    for (const known of this.results.keys()) {
      if (excess <= 0) break
      if (this.#unacked.has(known)) continue
      this.results.delete(known)
      excess--
    }
  }

  protected log(message: string) {
    this.options.log?.(`[${this.options.machine}] ${message}`)
  }
}
