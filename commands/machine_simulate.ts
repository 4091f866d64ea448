import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import env from '#start/env'
import MachineSimulator from '#services/machine_simulator'

/**
 * `node ace machine:simulate --machine demo-1 --key <device key>`: runs a
 * simulated vending machine against a running server over the real
 * socket.io device protocol, until stopped with Ctrl-C.
 */
export default class MachineSimulate extends BaseCommand {
  static commandName = 'machine:simulate'
  static description = 'Run a simulated vending machine over the real /devices protocol'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.string({ description: 'Machine code', default: 'demo-1' })
  declare machine: string

  @flags.string({ description: 'Device key (default: DEMO_DEVICE_KEY or the demo default)' })
  declare key?: string

  @flags.string({ description: 'Server URL (default: http://127.0.0.1:PORT)' })
  declare url?: string

  @flags.number({ description: 'Probability that a vend drops the item (0..1)', default: 0.9 })
  declare dropRate: number

  @flags.number({ description: 'Probability of a jam (0..1); the rest are no_drop', default: 0.05 })
  declare jamRate: number

  @flags.number({ description: 'Motor time per vend, in milliseconds', default: 1500 })
  declare vendMs: number

  async run() {
    if (this.dropRate < 0 || this.jamRate < 0 || this.dropRate + this.jamRate > 1) {
      this.logger.error('--drop-rate and --jam-rate must be between 0 and 1 and add up to at most 1')
      this.exitCode = 1
      // ace copies `exitCode` only after run() returns: too late for terminate() here.
      process.exitCode = 1
      return this.terminate()
    }

    const simulator = new MachineSimulator({
      url: this.url ?? `http://127.0.0.1:${env.get('PORT')}`,
      machine: this.machine,
      key: this.key ?? env.get('DEMO_DEVICE_KEY', 'demo-device-key'),
      dropRate: this.dropRate,
      jamRate: this.jamRate,
      vendMs: this.vendMs,
      log: (message) => this.logger.info(message),
    })

    try {
      await simulator.connect()
    } catch (error) {
      this.logger.error(`Could not connect: ${(error as Error).message}`)
      this.exitCode = 1
      // ace copies `exitCode` only after run() returns: too late for terminate() here.
      process.exitCode = 1
      return this.terminate()
    }

    this.app.terminating(() => simulator.close())
  }
}
