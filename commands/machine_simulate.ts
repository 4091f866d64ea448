import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import env from '#start/env'
import { readFile } from 'node:fs/promises'
import MachineSimulator from '#services/machine_simulator'
import FirmwareSigner from '#services/firmware_signer'
import { localServerUrl } from '#services/public_url'

/**
 * `node ace machine:simulate --machine demo-1 --key <device key>`: runs a
 * simulated vending machine against a running server over the real
 * socket.io device protocol, until stopped with Ctrl-C or SIGTERM.
 *
 * Without `--url` it dials the server of this environment's `HOST` and
 * `PORT` (`localServerUrl`). It installs firmware updates signed with the
 * release key whose public half is `--release-key` (a PEM file), or, by
 * default, the key of this environment's `FIRMWARE_SIGNING_KEY`; with
 * neither it answers updates `not_supported`. It stops on SIGINT or SIGTERM at any moment,
 * also while it is still retrying an unreachable server.
 */
export default class MachineSimulate extends BaseCommand {
  static commandName = 'machine:simulate'
  static description = 'Run a simulated vending machine over the real /devices protocol'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.string({ description: 'Machine code', default: 'demo-1' })
  declare machine: string

  @flags.string({ description: 'Device key (default: DEMO_DEVICE_KEY or the demo default)' })
  declare key?: string

  @flags.string({ description: 'Server URL (default: http://HOST:PORT of this environment)' })
  declare url?: string

  @flags.string({
    description: 'Firmware release public key (PEM file); default: FIRMWARE_SIGNING_KEY',
  })
  declare releaseKey?: string

  @flags.number({ description: 'Probability that a vend drops the item (0..1)', default: 0.9 })
  declare dropRate: number

  @flags.number({ description: 'Probability of a jam (0..1); the rest are no_drop', default: 0.05 })
  declare jamRate: number

  @flags.number({ description: 'Motor time per vend, in milliseconds', default: 1500 })
  declare vendMs: number

  async run() {
    if (this.dropRate < 0 || this.jamRate < 0 || this.dropRate + this.jamRate > 1) {
      return this.fail('--drop-rate and --jam-rate must be between 0 and 1 and add up to at most 1')
    }

    const signer = await this.app.container.make(FirmwareSigner)
    let releasePublicKey: string | null
    try {
      releasePublicKey = this.releaseKey
        ? await readFile(this.releaseKey, 'utf8')
        : signer.releasePublicKeyPem()
    } catch (error) {
      return this.fail(`Could not read --release-key: ${(error as Error).message}`)
    }

    const url = this.url ?? localServerUrl()
    const simulator = new MachineSimulator({
      url,
      machine: this.machine,
      key: this.key ?? env.get('DEMO_DEVICE_KEY', 'demo-device-key'),
      dropRate: this.dropRate,
      jamRate: this.jamRate,
      vendMs: this.vendMs,
      releasePublicKey,
      log: (message) => this.logger.info(message),
    })

    // Hooked before connect(): an unreachable server is retried without
    // end, and SIGTERM (bin/console.ts) or Ctrl-C must stop that too.
    let stopping = false
    this.app.terminating(() => {
      stopping = true
      simulator.close()
    })
    process.once('SIGINT', () => this.terminate())

    this.logger.info(`connecting to ${url} as ${this.machine}`)
    try {
      await simulator.connect()
    } catch (error) {
      if (stopping) return
      return this.fail(`Could not connect: ${(error as Error).message}`)
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
