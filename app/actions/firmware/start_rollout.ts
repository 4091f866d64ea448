import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ACTIVE_ROLLOUT, RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import type User from '#models/user'
import AuditTrail from '#services/audit_trail'
import { deviceFirmwareVersion } from '#services/device_protocol'
import { lockNameWithin } from '#services/db_helpers'
import { announceRolloutChange } from '#services/rollout_events'
import { ROLLOUT_SUBJECT, defaultCanaryCount } from '#services/rollout_plan'
import RolloutDispatcher from '#services/rollout_dispatcher'
import InvalidRolloutSelectorException from '#exceptions/invalid_rollout_selector_exception'
import MachineInRolloutException from '#exceptions/machine_in_rollout_exception'
import NoMachinesSelectedException from '#exceptions/no_machines_selected_exception'
import UnknownMachineException from '#exceptions/unknown_machine_exception'
import UnknownReleaseException from '#exceptions/unknown_release_exception'
import { startRolloutValidator } from '#validators/firmware'

/**
 * What a rollout starts from (panel form, `node ace firmware:rollout`):
 * the release `version` (as published, `1.2.3`), exactly one way of
 * choosing machines (`machineCodes`, `tag`, or `percent` of the fleet),
 * and optionally the canary size and the failure threshold.
 */
export interface StartRolloutInput {
  version: string
  machineCodes?: string[]
  tag?: string
  percent?: number
  canaryCount?: number
  failureThreshold?: number
  actor: User | null
}

/**
 * Starts a firmware rollout: picks the machines, splits them into a canary
 * stage 0 and a stage 1 for the rest, records the rollout `running` with
 * one `pending` target per machine, audits it, and asks the dispatcher to
 * offer stage 0 at once (a server started by another process notices it
 * at its next tick).
 *
 * Machines chosen:
 * - `machineCodes`: exactly those (an unknown code refuses the whole lot);
 * - `tag`: every machine carrying it;
 * - `percent`: a random `percent` % of the whole fleet, rounded up, at
 *   least one, drawn from machines that need the update and are in no
 *   active rollout.
 * Machines already running the version (their reported firmware is
 * `vendora-esp32-<version>`) are skipped; the selector text says how many.
 *
 * Canary: `canaryCount` machines (capped at the total) or, by default,
 * 1 machine, or 10 % rounded up once 20 or more are chosen
 * (`defaultCanaryCount`). When every machine fits in the canary there is
 * no stage 1. `failureThreshold` (default 1) failed or rolled-back
 * targets in one stage halt the rollout.
 */
@inject()
export default class StartRollout {
  constructor(
    protected auditTrail: AuditTrail,
    protected dispatcher: RolloutDispatcher
  ) {}

  /**
   * @returns the new rollout (status `running`, stage 0)
   * @throws E_VALIDATION_ERROR (422) for malformed input (`startRolloutValidator`)
   * @throws InvalidRolloutSelectorException (422 `invalid_selector`) unless
   *   exactly one of machineCodes, tag, percent is given
   * @throws UnknownReleaseException (404 `unknown_release`)
   * @throws UnknownMachineException (422 `unknown_machine`) for a code no machine has
   * @throws NoMachinesSelectedException (422 `no_machines_selected`) when
   *   nothing is left to update
   * @throws MachineInRolloutException (409 `machine_in_rollout`) when a named or
   *   tagged machine is held by an active rollout
   */
  async handle(input: StartRolloutInput): Promise<FirmwareRollout> {
    const data = await startRolloutValidator.validate({
      version: input.version,
      machineCodes: input.machineCodes,
      tag: input.tag,
      percent: input.percent,
      canaryCount: input.canaryCount,
      failureThreshold: input.failureThreshold,
    })
    const given = [data.machineCodes, data.tag, data.percent].filter((v) => v !== undefined)
    if (given.length !== 1) throw new InvalidRolloutSelectorException()

    const release = await FirmwareRelease.findBy('version', data.version)
    if (!release) throw new UnknownReleaseException()
    const firmware = deviceFirmwareVersion(release.version)

    const rollout = await db.transaction(async (trx) => {
      // Two starts at once must not both take a machine: on PostgreSQL they
      // queue here (SQLite runs one transaction at a time anyway).
      await lockNameWithin(trx, 'firmware_rollout_start')
      const heldRows: { machine_id: number }[] = await trx
        .from('firmware_rollout_targets')
        .join('firmware_rollouts', 'firmware_rollouts.id', 'firmware_rollout_targets.rollout_id')
        .whereIn('firmware_rollouts.status', [...ACTIVE_ROLLOUT])
        .select('firmware_rollout_targets.machine_id as machine_id')
      const held = new Set(heldRows.map((row) => Number(row.machine_id)))

      let chosen: Machine[]
      let selector: string
      if (data.machineCodes) {
        chosen = await Machine.query({ client: trx }).whereIn('code', data.machineCodes)
        const known = new Set(chosen.map((machine) => machine.code))
        const unknown = data.machineCodes.filter((code) => !known.has(code))
        if (unknown.length > 0) {
          throw new UnknownMachineException(`No machine has the code ${unknown.join(', ')}.`)
        }
        selector = `machines ${data.machineCodes.join(', ')}`
      } else if (data.tag) {
        const tag = data.tag
        const all = await Machine.query({ client: trx }).orderBy('id')
        chosen = all.filter((machine) => machine.tags.includes(tag))
        selector = `tag ${tag}`
      } else {
        const fleet = await Machine.query({ client: trx }).orderBy('id')
        const wanted = Math.max(1, Math.ceil((fleet.length * data.percent!) / 100))
        const eligible = fleet.filter(
          (machine) => machine.firmwareVersion !== firmware && !held.has(machine.id)
        )
        chosen = shuffled(eligible).slice(0, wanted)
        selector = `${data.percent}% of the fleet`
      }

      const skipped = chosen.filter((machine) => machine.firmwareVersion === firmware)
      const machines = chosen
        .filter((machine) => machine.firmwareVersion !== firmware)
        .sort((a, b) => a.id - b.id)
      if (machines.length === 0) {
        throw new NoMachinesSelectedException(
          chosen.length > 0
            ? `Every machine chosen already runs ${release.version}.`
            : 'No machine matches.'
        )
      }
      const busy = machines.filter((machine) => held.has(machine.id))
      if (busy.length > 0) throw new MachineInRolloutException(busy.map((machine) => machine.code))
      if (skipped.length > 0) {
        selector += `; skipped ${skipped.length} already on ${release.version}: ${skipped
          .map((machine) => machine.code)
          .join(', ')}`
      }

      const canary = Math.min(data.canaryCount ?? defaultCanaryCount(machines.length), machines.length)
      // The canary is drawn at random, so a tag or list order does not
      // always make the same machines go first.
      const canaryIds = new Set(shuffled(machines).slice(0, canary).map((machine) => machine.id))

      const created = await FirmwareRollout.create(
        {
          firmwareReleaseId: release.id,
          status: RolloutStatus.Running,
          selector: selector.slice(0, 255),
          stage: 0,
          failureThreshold: data.failureThreshold ?? 1,
          createdBy: input.actor?.id ?? null,
        },
        { client: trx }
      )
      await FirmwareRolloutTarget.createMany(
        machines.map((machine) => ({
          rolloutId: created.id,
          machineId: machine.id,
          stage: canaryIds.has(machine.id) ? 0 : 1,
          state: RolloutTargetState.Pending,
          versionBefore: machine.firmwareVersion,
          attempts: 0,
        })),
        { client: trx }
      )
      await this.auditTrail.record(
        {
          actor: input.actor,
          action: 'firmware.rollout.start',
          subjectType: ROLLOUT_SUBJECT,
          subjectId: created.id,
          after: {
            version: release.version,
            selector: created.selector,
            machines: machines.map((machine) => machine.code),
            canary: machines.filter((m) => canaryIds.has(m.id)).map((m) => m.code),
            skipped: skipped.map((machine) => machine.code),
            failure_threshold: created.failureThreshold,
          },
        },
        trx
      )
      announceRolloutChange(created.id, trx)
      return created
    })

    await this.dispatcher.dispatchRollout(rollout.id)
    await rollout.refresh()
    return rollout
  }
}

/** A shuffled copy (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}
