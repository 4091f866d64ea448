import { SerialPort } from 'serialport'
import { VendResult } from '#enums/vend_result'
import DeviceClient, { type Dispenser } from '#services/device_client'
import type { VendCommand } from '#services/device_protocol'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const RESULTS = new Set<string>(Object.values(VendResult))

/**
 * Longest line accepted from the board, in bytes; a longer run of bytes
 * without a newline is discarded (line noise, a wrong baud rate).
 */
const MAX_LINE_BYTES = 1024

/**
 * Settings of the serial line protocol.
 *
 * - `path`: the serial device, e.g. `/dev/ttyUSB0`
 * - `baudRate`: bits per second (the sketch's `Serial.begin`, 115200)
 * - `reopenMs`: after the port is lost (cable pulled, board reset), how
 *   often to try to open it again, in milliseconds
 * - `answerWarnMs`: log a warning when the board has not answered a `VEND`
 *   within this many milliseconds (nothing else happens: no result is
 *   invented)
 * - `onResult`: receives a valid `RESULT` line for a command this process
 *   is not waiting for (a board reporting `interrupted` after a reboot)
 * - `log`: one line per event
 */
export interface SerialLineOptions {
  path: string
  baudRate: number
  reopenMs: number
  answerWarnMs: number
  onResult?: (commandId: string, result: VendResult) => void
  log?: (message: string) => void
}

/**
 * A `VEND` the board has not answered yet.
 */
interface PendingVend {
  command: VendCommand
  resolve: (result: VendResult) => void
  reject: (error: Error) => void
  warnTimer: NodeJS.Timeout
}

/**
 * A dispenser on the far side of a serial line (a board on USB), speaking
 * one ASCII line per message, `\n`-terminated (a `\r` before it is
 * ignored):
 *
 * - host → board: `VEND <command_id> <slot>`
 * - board → host: `RESULT <command_id> <result>`, result one of `dropped`,
 *   `no_drop`, `jam`, `sensor_fault`, `interrupted`
 * - board → host: `ERROR <reason>`, and any other line: logged, ignored
 *
 * A `VEND` stays pending until the board's `RESULT` for that command id
 * arrives, however long that takes: a silent board gets no invented
 * result, so the server's vend timeout refunds the shopper. A pending
 * `VEND` is written again when the server re-sends the command
 * (`redeliver`, after a reconnect) and when the port is reopened; the
 * board's firmware ignores a command id it is vending or has vended
 * (firmware/PROTOCOL.md, 6.1), answering a vended one with its stored
 * `RESULT`.
 */
export class SerialLineDispenser implements Dispenser {
  #port?: SerialPort
  #pending = new Map<string, PendingVend>()
  #buffer = Buffer.alloc(0)
  #reopenTimer?: NodeJS.Timeout
  #reopenFailed = false
  #closed = false

  constructor(protected options: SerialLineOptions) {}

  /**
   * Whether the serial port is open.
   */
  get isOpen(): boolean {
    return Boolean(this.#port?.isOpen)
  }

  /**
   * Opens the serial port. Later losses of the port are healed by
   * reopening it every `reopenMs`.
   *
   * @throws Error from the operating system when the port cannot be
   *   opened (`ENOENT` for a missing device, `EACCES` without permission)
   */
  async open(): Promise<void> {
    await this.openPort()
  }

  dispense(command: VendCommand): Promise<VendResult> {
    if (!UUID.test(command.command_id) || !Number.isInteger(command.slot)) {
      return Promise.reject(new Error(`malformed vend command ${JSON.stringify(command)}`))
    }
    const commandId = command.command_id.toLowerCase()
    return new Promise((resolve, reject) => {
      const warnTimer = setTimeout(() => {
        this.log(
          `no RESULT from the board for ${commandId} after ${this.options.answerWarnMs} ms; ` +
            'still waiting (the server refunds the order if no result comes in time)'
        )
      }, this.options.answerWarnMs)
      this.#pending.set(commandId, { command, resolve, reject, warnTimer })
      this.writeVend(command)
    })
  }

  redeliver(command: VendCommand) {
    if (!this.#pending.has(command.command_id.toLowerCase())) return
    this.log(
      `server sent ${command.command_id} again before the board answered; writing VEND again`
    )
    this.writeVend(command)
  }

  /**
   * Closes the port for good. Pending vends are rejected (no result), so
   * nothing waits on a port that is gone.
   */
  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#reopenTimer)
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.warnTimer)
      pending.reject(new Error('serial bridge closed'))
    }
    this.#pending.clear()
    const port = this.#port
    this.#port = undefined
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
  }

  protected openPort(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.options.path,
        baudRate: this.options.baudRate,
        autoOpen: false,
      })
      port.on('data', (chunk: Buffer) => this.onData(chunk))
      port.on('error', (error) => this.log(`serial port error: ${error.message}`))
      port.open((error) => {
        if (error) return reject(error)
        if (this.#closed) {
          port.close()
          return reject(new Error('serial bridge closed'))
        }
        this.#port = port
        this.#buffer = Buffer.alloc(0)
        port.once('close', () => this.onPortClosed(port))
        resolve()
      })
    })
  }

  protected onPortClosed(port: SerialPort) {
    if (this.#closed || this.#port !== port) return
    this.#port = undefined
    this.log(`serial port ${this.options.path} closed; reopening every ${this.options.reopenMs} ms`)
    this.scheduleReopen()
  }

  protected scheduleReopen() {
    clearTimeout(this.#reopenTimer)
    this.#reopenTimer = setTimeout(() => {
      this.openPort().then(
        () => {
          this.#reopenFailed = false
          this.log(`serial port ${this.options.path} reopened`)
          // Bytes may have been lost with the port: ask again.
          for (const pending of this.#pending.values()) this.writeVend(pending.command)
        },
        (error: Error) => {
          if (this.#closed) return
          if (!this.#reopenFailed)
            this.log(`cannot reopen ${this.options.path} (${error.message}), retrying`)
          this.#reopenFailed = true
          this.scheduleReopen()
        }
      )
    }, this.options.reopenMs)
  }

  /**
   * Writes `VEND <command_id> <slot>\n` when the port is open; otherwise
   * the command waits for the port to be reopened.
   */
  protected writeVend(command: VendCommand) {
    const port = this.#port
    if (!port?.isOpen) return
    port.write(`VEND ${command.command_id} ${command.slot}\n`, (error) => {
      if (error) this.log(`writing VEND ${command.command_id} failed: ${error.message}`)
    })
  }

  protected onData(chunk: Buffer) {
    let buffer = Buffer.concat([this.#buffer, chunk])
    for (let end = buffer.indexOf(0x0a); end !== -1; end = buffer.indexOf(0x0a)) {
      this.onLine(buffer.subarray(0, end).toString('utf8').replace(/\r$/, ''))
      buffer = buffer.subarray(end + 1)
    }
    if (buffer.length > MAX_LINE_BYTES) {
      this.log(`discarded ${buffer.length} bytes from the board without a newline`)
      buffer = Buffer.alloc(0)
    }
    this.#buffer = buffer
  }

  protected onLine(line: string) {
    const text = line.trim()
    if (!text) return
    const [word, ...args] = text.split(/\s+/)

    if (word === 'RESULT') {
      const [commandId, result] = args
      if (args.length !== 2 || !UUID.test(commandId) || !RESULTS.has(result)) {
        this.log(`ignored malformed line from the board: ${text}`)
        return
      }
      this.onResultLine(commandId.toLowerCase(), result as VendResult)
      return
    }
    if (word === 'ERROR') {
      this.log(`board error: ${args.join(' ') || '(no reason)'}`)
      return
    }
    this.log(`board: ${text}`)
  }

  protected onResultLine(commandId: string, result: VendResult) {
    const pending = this.#pending.get(commandId)
    if (pending) {
      this.#pending.delete(commandId)
      clearTimeout(pending.warnTimer)
      pending.resolve(result)
      return
    }
    this.log(`board reported ${result} for ${commandId}, which is not awaited here; forwarding it`)
    this.options.onResult?.(commandId, result)
  }

  protected log(message: string) {
    this.options.log?.(message)
  }
}

/**
 * Settings of a serial bridge: the device client's (`url`, `machine`,
 * `key`, `resendMs`) and the serial line's (`path`, `baudRate` default
 * 115 200, `reopenMs` default 1000, `answerWarnMs` default 15 000); times
 * in milliseconds.
 */
export interface SerialBridgeOptions {
  url: string
  machine: string
  key: string
  path: string
  baudRate?: number
  resendMs?: number
  reopenMs?: number
  answerWarnMs?: number
  log?: (message: string) => void
}

/**
 * A machine wired to a computer by USB instead of Wi-Fi: this process
 * connects to the server as the machine over the `/devices` protocol
 * (`DeviceClient`: hello first, each command id dispensed at most once,
 * results resent until acked) and relays each vend to the board over the
 * serial line (`SerialLineDispenser`). Run it with `node ace
 * machine:serial`.
 */
export default class SerialBridge {
  readonly client: DeviceClient
  readonly line: SerialLineDispenser

  constructor(readonly options: SerialBridgeOptions) {
    const log = (message: string) => options.log?.(`[${options.machine}] ${message}`)
    this.line = new SerialLineDispenser({
      path: options.path,
      baudRate: options.baudRate ?? 115_200,
      reopenMs: options.reopenMs ?? 1000,
      answerWarnMs: options.answerWarnMs ?? 15_000,
      onResult: (commandId, result) => this.client.report(commandId, result),
      log,
    })
    this.client = new DeviceClient(
      {
        url: options.url,
        machine: options.machine,
        key: options.key,
        resendMs: options.resendMs,
        log: options.log,
      },
      this.line
    )
  }

  /**
   * Opens the serial port, then connects to the server; resolves once the
   * server's `hello` arrived.
   *
   * @throws Error when the port cannot be opened (nothing is connected
   *   then), or the server refuses the machine (`invalid_credentials`; the
   *   port is closed again)
   */
  async start(): Promise<void> {
    await this.line.open()
    try {
      await this.client.connect()
    } catch (error) {
      await this.close()
      throw error
    }
  }

  /** Results by command id, as reported to the server. */
  get results(): Map<string, VendResult> {
    return this.client.results
  }

  /** Whether the server's `hello` arrived on the current connection. */
  get connected(): boolean {
    return this.client.connected
  }

  /**
   * Disconnects from the server and closes the serial port.
   */
  async close(): Promise<void> {
    this.client.close()
    await this.line.close()
  }
}
