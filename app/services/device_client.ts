import { io, type Socket } from 'socket.io-client'
import { VendResult } from '#enums/vend_result'
import {
  DeviceToServerEvent,
  Namespaces,
  ProtocolError,
  OtaProgressState,
  ServerToDeviceEvent,
  type DeviceStatus,
  type HelloMessage,
  type OtaCommand,
  type OtaProgressMessage,
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
 * What installs firmware updates behind a `DeviceClient` (`ota`,
 * firmware/PROTOCOL.md §13.1). The client has already refused what the
 * firmware refuses before downloading (a vend in progress, another update,
 * the running version); the updater downloads and checks the image.
 */
export interface Updater {
  /**
   * Downloads and checks the image of `command`, reporting each
   * `ota_progress` frame through `progress`: `downloading` (percent 0 to
   * 100), `verifying`, then `rebooting` when the image checked out, or
   * `failed` with the reason of §13.1.
   *
   * @returns true when the device should restart into `command.version`
   *   (the client then reconnects, reports the new firmware in `status`
   *   and sends `confirmed`); false after a `failed` frame. Never rejects.
   */
  install(command: OtaCommand, progress: (frame: OtaProgressMessage) => void): Promise<boolean>
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
 * - `restartMs`: how long a restart into a new firmware takes, in
 *   milliseconds (default 1500, as the firmware waits after `rebooting`)
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
  restartMs?: number
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
 * With an `Updater` it also installs firmware updates (`ota`): one at a
 * time, never while a vend runs, restarting into the new version and
 * confirming it after the next `hello`. Without one it answers every `ota`
 * `failed` / `not_supported`, as a build without a release key does.
 *
 * Used by `MachineSimulator` (a simulated motor) and `SerialBridge` (a
 * board on a USB serial line).
 */
export default class DeviceClient {
  /** Results by command id: the device-side guard against double vends. */
  readonly results = new Map<string, VendResult>()
  readonly options: Required<Omit<DeviceClientOptions, 'log' | 'status'>> &
    Pick<DeviceClientOptions, 'log' | 'status'>
  /** The firmware version being installed, until it is confirmed or failed. */
  #installing?: string
  /** A version installed and restarted into, confirmed after the next `hello`. */
  #awaitingConfirmation?: string
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
    protected dispenser: Dispenser,
    protected updater?: Updater
  ) {
    this.options = {
      ...options,
      status: options.status ? { ...options.status } : undefined,
      resendMs: options.resendMs ?? 2000,
      refusedRetryMs: options.refusedRetryMs ?? 30_000,
      keepResults: options.keepResults ?? 1000,
      restartMs: options.restartMs ?? 1500,
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
        this.confirmUpdate()
        for (const commandId of this.#unacked.keys()) this.sendResult(commandId)
        resolve()
      })
      socket.on('disconnect', () => {
        this.#hello = false
      })
      socket.on('connect_error', (error) => this.onConnectError(socket, error, reject))
      socket.on(ServerToDeviceEvent.Vend, (command: VendCommand) => this.onVend(command))
      socket.on(ServerToDeviceEvent.Ota, (command: OtaCommand) => this.onOta(command))
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

  /**
   * An `ota`: refused as the firmware refuses it (§13.1), else handed to
   * the updater; when it checked out, the client "restarts": it drops the
   * link, reports the new version and confirms it after the next `hello`.
   */
  protected onOta(command: OtaCommand) {
    if (this.#closed) return
    const version = typeof command?.version === 'string' ? command.version : undefined
    const refuse = (reason: string) => {
      this.log(`firmware update ${version ?? '(no version)'} refused: ${reason}`)
      this.sendOtaProgress({ version, state: OtaProgressState.Failed, reason })
    }
    if (!version || typeof command.url !== 'string') return refuse('missing_field')
    if (!this.updater) return refuse('not_supported')
    // A repeated offer of the version on its way is answered by its own frames.
    if (this.#installing === version) return
    if (this.#installing || this.#awaitingConfirmation) return refuse('update_in_progress')
    if (this.#dispensing.size > 0) return refuse('vend_in_progress')
    if (this.options.status?.firmware === version) return refuse('already_installed')

    this.#installing = version
    this.log(`installing firmware ${version}`)
    this.updater
      .install(command, (frame) => this.sendOtaProgress(frame))
      .then((restart) => {
        if (this.#closed) return
        if (!restart) {
          this.#installing = undefined
          return
        }
        this.restartInto(version)
      })
  }

  /** Drops the link as a reboot does and comes back running `version`. */
  protected restartInto(version: string) {
    this.#awaitingConfirmation = version
    this.#installing = undefined
    this.options.status = { ...this.options.status, firmware: version }
    this.log(`restarting into firmware ${version}`)
    this.#socket?.disconnect()
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => {
      if (!this.#closed) this.#socket?.connect()
    }, this.options.restartMs)
  }

  /** After the first `hello` on a new firmware: it joined, so it is valid. */
  protected confirmUpdate() {
    const version = this.#awaitingConfirmation
    if (!version) return
    this.#awaitingConfirmation = undefined
    this.log(`firmware ${version} confirmed`)
    this.sendOtaProgress({ version, state: OtaProgressState.Confirmed })
  }

  /** Sends an `ota_progress` frame when connected (it has no ack: lost frames stay lost). */
  protected sendOtaProgress(frame: OtaProgressMessage) {
    if (this.connected) this.#socket!.emit(DeviceToServerEvent.OtaProgress, frame)
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
