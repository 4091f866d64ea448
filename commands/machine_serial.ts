import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import env from '#start/env'
import { localServerUrl } from '#services/public_url'

/**
 * `node ace machine:serial --machine vm-0042 --port /dev/ttyUSB0`: connects
 * to the server as a machine wired to this computer by USB, and relays its
 * vend commands over the serial line (`VEND <command_id> <slot>` out,
 * `RESULT <command_id> <result>` back; firmware/PROTOCOL.md, "USB serial
 * bridge"), until stopped with Ctrl-C or SIGTERM.
 */
export default class MachineSerial extends BaseCommand {
  static commandName = 'machine:serial'
  static description =
    'Connect a machine wired by USB: relay /devices vend commands over a serial line'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.string({ description: 'Machine code', required: true })
  declare machine: string

  @flags.string({ description: 'Serial device of the board, e.g. /dev/ttyUSB0', required: true })
  declare port: string

  @flags.string({ description: 'Device key (default: DEMO_DEVICE_KEY or the demo default)' })
  declare key?: string

  @flags.string({ description: 'Server URL (default: http://HOST:PORT of this environment)' })
  declare url?: string

  @flags.number({ description: 'Baud rate of the serial line', default: 115_200 })
  declare baud: number

  async run() {
    if (!Number.isInteger(this.baud) || this.baud <= 0) {
      return this.fail('--baud must be a positive whole number, e.g. 115200')
    }

    // Loaded here, not at the top: ace imports every command file to list
    // them, and only this one needs serialport's native addon.
    const { default: SerialBridge } = await import('#services/serial_bridge')
    const url = this.url ?? localServerUrl()
    const bridge = new SerialBridge({
      url,
      machine: this.machine,
      key: this.key ?? env.get('DEMO_DEVICE_KEY', 'demo-device-key'),
      path: this.port,
      baudRate: this.baud,
      log: (message) => this.logger.info(message),
    })

    // Hooked before start(): an unreachable server is retried without end,
    // and SIGTERM (bin/console.ts) or Ctrl-C must stop that too.
    let stopping = false
    this.app.terminating(() => {
      stopping = true
      return bridge.close()
    })
    process.once('SIGINT', () => this.terminate())

    this.logger.info(
      `opening ${this.port} at ${this.baud} baud, connecting to ${url} as ${this.machine}`
    )
    try {
      await bridge.start()
    } catch (error) {
      if (stopping) return
      return this.fail(`Could not start the serial bridge: ${(error as Error).message}`)
    }
  }

  /**
   * Logs `message` and ends the process with status 1. `process.exitCode`
   * is set directly: for a command that stays alive, ace copies the
   * command's `exitCode` only in a terminating hook it registers after
   * `run()` returns, too late for a `terminate()` from inside `run()`.
   */
  protected async fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
    process.exitCode = 1
    await this.terminate()
  }
}
