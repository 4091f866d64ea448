import { setTimeout as sleep } from 'node:timers/promises'
import { args, BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { refusalLines } from '#exceptions/refusal_lines'
import { TARGET_FINAL } from '#enums/rollout_target_state'
import type { RolloutView } from '#services/rollout_report'

/**
 * `node ace firmware:rollout 1.2.3 (--machines a,b | --tag T | --percent N)
 * [--canary N] [--threshold N] [--wait [--timeout S]]` starts a firmware
 * rollout from a shell, by the same rule as the panel (`StartRollout`).
 *
 * The command only writes the rollout: the running server offers the
 * updates (its rollout ticker finds the new rollout within
 * `ROLLOUT_TICK_MS`). With `--wait` it then polls the database until every
 * target ended, prints one line per machine, `<machine> <state> <firmware
 * it runs now>`, and exits 0 only when every machine confirmed the
 * update; 1 when one did not, on `--timeout` (seconds, default 1800) or
 * on a refusal. A rollout that halts with nothing in flight ends the wait
 * too (its pending machines print as `pending`): only an operator moves
 * it on.
 */
export default class FirmwareRollout extends BaseCommand {
  static commandName = 'firmware:rollout'
  static description = 'Roll a published firmware release out to machines, canary first'
  static options: CommandOptions = { startApp: true }

  /** How often `--wait` reads the rollout, in milliseconds. */
  static pollIntervalMs = 500

  @args.string({ description: 'Release version, as published (e.g. 1.2.3)' })
  declare version: string

  @flags.array({ description: 'Machine codes, comma-separated', parse: splitCodes })
  declare machines?: string[]

  @flags.string({ description: 'Every machine with this tag' })
  declare tag?: string

  @flags.number({ description: 'A random share of the fleet, 1-100 (%)' })
  declare percent?: number

  @flags.number({
    description: 'Machines in the canary stage (default 1, or 10% from 20 machines)',
  })
  declare canary?: number

  @flags.number({
    description: 'Failed or rolled-back machines in one stage that halt it (default 1)',
  })
  declare threshold?: number

  @flags.boolean({
    description: 'Wait until every machine ended, print each, exit 0 only if all confirmed',
  })
  declare wait?: boolean

  @flags.number({ description: 'With --wait: give up after this many seconds (default 1800)' })
  declare timeout?: number

  async run() {
    // Loaded once the app has booted (ace imports every command file just to list it).
    const { default: StartRollout } = await import('#actions/firmware/start_rollout')
    const { default: RolloutReport } = await import('#services/rollout_report')
    const start = await this.app.container.make(StartRollout)
    let rolloutId: number
    try {
      const rollout = await start.handle({
        version: this.version,
        machineCodes: this.machines,
        tag: this.tag,
        percent: this.percent,
        canaryCount: this.canary,
        failureThreshold: this.threshold,
        actor: null,
      })
      rolloutId = rollout.id
    } catch (error) {
      const refusal = refusalLines(error, { withCode: true })
      if (!refusal) throw error
      this.exitCode = 1
      refusal.forEach((line) => this.logger.error(line))
      return
    }

    const report = new RolloutReport()
    const started = (await report.find(rolloutId))!
    const canary = started.targets.filter((target) => target.stage === 0)
    this.logger.success(
      `Rollout ${rolloutId} of firmware ${started.release.version}: ${started.targets.length} machine(s), ${started.selector}`
    )
    this.logger.info(`Canary: ${canary.map((target) => target.machineCode).join(', ')}`)
    if (!this.wait) return

    const deadline = Date.now() + (this.timeout ?? 1800) * 1000
    let view = started
    while (!settled(view) && Date.now() < deadline) {
      await sleep(FirmwareRollout.pollIntervalMs)
      view = (await report.find(rolloutId))!
    }
    for (const target of view.targets) {
      const running = target.versionAfter ?? target.machineFirmware ?? 'unknown'
      this.logger.log(`${target.machineCode} ${target.state} ${running}`)
    }
    if (!settled(view)) {
      this.logger.error(
        `Timed out: rollout ${rolloutId} is ${view.status}, not every machine ended`
      )
      this.exitCode = 1
      return
    }
    const confirmed = view.targets.every((target) => target.state === 'confirmed')
    if (!confirmed) {
      this.logger.error(
        `Rollout ${rolloutId} is ${view.status}${view.haltReason ? `: ${view.haltReason}` : ''}`
      )
    }
    this.exitCode = confirmed ? 0 : 1
  }
}

/**
 * Whether `--wait` is over: every target ended, or the rollout halted
 * with nothing in flight (its pending machines wait for an operator, who
 * may resume or cancel it in the panel).
 */
function settled(view: RolloutView): boolean {
  if (view.done) return true
  return (
    view.status === 'halted' &&
    view.targets.every(
      (target) => target.state === 'pending' || TARGET_FINAL.includes(target.state)
    )
  )
}

/** `--machines a,b --machines c` → `['a', 'b', 'c']`. */
function splitCodes(values: string | string[]): string[] {
  return (Array.isArray(values) ? values : [values])
    .flatMap((value) => value.split(','))
    .map((code) => code.trim())
    .filter((code) => code.length > 0)
}
