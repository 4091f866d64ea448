import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import firmwareConfig from '#config/firmware'
import { MachineStatus } from '#enums/machine_status'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState, TARGET_IN_FLIGHT } from '#enums/rollout_target_state'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import Order from '#models/order'
import AuditTrail from '#services/audit_trail'
import DeviceChannel from '#services/device_channel'
import DeviceMonitor from '#services/device_monitor'
import FirmwareReleases from '#services/firmware_releases'
import { affectedRows, dbTimestamp } from '#services/db_helpers'
import {
  ServerToDeviceEvent,
  deviceFirmwareVersion,
  inQuietHours,
  type OtaCommand,
} from '#services/device_protocol'
import { announceRolloutChange } from '#services/rollout_events'
import { PASSING_REFUSALS, ROLLOUT_SUBJECT, stageOutcome } from '#services/rollout_plan'

/**
 * Offers firmware updates to machines and moves rollouts along
 * (firmware/PROTOCOL.md §13.1; README "Firmware rollouts").
 *
 * A pending target of a running rollout's current stage is offered an
 * `ota` (a fresh signed URL made for the machine, the release's size,
 * SHA-256 and signature, `version` the device firmware string) only when
 * its machine is online, has no vend in flight, is outside its quiet
 * hours (as the device last reported them) and has no other update in
 * flight, and not within `refusalRetryMs` of the device refusing it for a
 * passing reason. Offers go out when a rollout starts or resumes, when a machine
 * connects or finishes a vend, and on each tick (`RolloutTicker`), which
 * also notices quiet hours ending and rollouts created by another
 * process, and gives up on offers gone stale (config/firmware.ts
 * `rollout`).
 *
 * Every move is a conditional UPDATE (`FirmwareRolloutTarget.transition`,
 * `FirmwareRollout.transition`), so two nodes or two triggers racing for
 * one target make one offer. Only a process whose socket.io server runs
 * (`DeviceChannel.attached`) offers anything: an ace command that starts a
 * rollout leaves the offers to the server.
 */
@inject()
export default class RolloutDispatcher {
  constructor(
    protected channel: DeviceChannel,
    protected releases: FirmwareReleases,
    protected monitor: DeviceMonitor,
    protected auditTrail: AuditTrail
  ) {}

  /**
   * Settles rollout `rolloutId` (halt, next stage, completion) and offers
   * its current stage's pending targets that are ready. Never throws:
   * failures are logged, the next tick tries again.
   */
  async dispatchRollout(rolloutId: number): Promise<void> {
    if (!this.channel.attached) return
    try {
      await this.settle(rolloutId)
      await this.offerPending({ rolloutId })
    } catch (error) {
      logger.error({ err: error, rolloutId }, 'rollout dispatch failed')
    }
  }

  /**
   * Offers machine `machineId` its pending update, if it has one and is
   * ready (called when it connects or a vend of it settles). Never throws.
   */
  async dispatchMachine(machineId: number): Promise<void> {
    if (!this.channel.attached) return
    try {
      await this.offerPending({ machineId })
    } catch (error) {
      logger.error({ err: error, machineId }, 'rollout dispatch failed')
    }
  }

  /**
   * One periodic pass: stale offers go back to pending or fail, every
   * running rollout is settled, and every ready pending target offered.
   *
   * @returns how many targets were offered or expired
   */
  async tick(): Promise<number> {
    if (!this.channel.attached) return 0
    let changed = await this.expireStale()
    // Settled after the expiries: a target failed just now may halt its rollout.
    const running = await FirmwareRollout.query()
      .where('status', RolloutStatus.Running)
      .select('id')
    for (const rollout of running) await this.settle(rollout.id)
    changed += await this.offerPending({})
    return changed
  }

  /**
   * Applies `stageOutcome` to rollout `rolloutId`: halts it (with
   * `halt_reason`), starts its next stage, or completes it, audited and
   * announced. Idempotent; a race with an operator is settled by the
   * conditional updates.
   *
   * @returns whether the rollout changed
   */
  async settle(rolloutId: number): Promise<boolean> {
    const rollout = await FirmwareRollout.find(rolloutId)
    if (!rollout) return false
    const targets = await FirmwareRolloutTarget.query()
      .where('rollout_id', rolloutId)
      .select('id', 'stage', 'state', 'machine_id', 'reason')
    const outcome = stageOutcome(rollout, targets)
    if (outcome.kind === 'none') return false

    return db.transaction(async (trx) => {
      let moved = false
      let action = ''
      let after: Record<string, unknown> = {}
      if (outcome.kind === 'halt') {
        const inStage = targets.filter((target) => target.stage === rollout.stage)
        const reason = `${outcome.failures} of ${inStage.length} machines in stage ${rollout.stage} failed (threshold ${rollout.failureThreshold})`
        moved = await FirmwareRollout.transition(
          trx,
          rolloutId,
          RolloutStatus.Running,
          RolloutStatus.Halted,
          { halt_reason: reason }
        )
        action = 'firmware.rollout.halt'
        after = { status: RolloutStatus.Halted, halt_reason: reason }
      } else if (outcome.kind === 'advance') {
        const result = await trx
          .from('firmware_rollouts')
          .where('id', rolloutId)
          .where('status', RolloutStatus.Running)
          .where('stage', rollout.stage)
          .update({ stage: outcome.stage, failures_accepted: 0, updated_at: dbTimestamp(trx) })
        moved = affectedRows(result) === 1
        action = 'firmware.rollout.stage'
        after = { stage: outcome.stage }
      } else {
        moved = await FirmwareRollout.transition(
          trx,
          rolloutId,
          RolloutStatus.Running,
          RolloutStatus.Completed
        )
        action = 'firmware.rollout.complete'
        after = { status: RolloutStatus.Completed }
      }
      if (!moved) return false
      await this.auditTrail.record(
        {
          actor: null,
          action,
          subjectType: ROLLOUT_SUBJECT,
          subjectId: rolloutId,
          before: { status: rollout.status, stage: rollout.stage },
          after,
        },
        trx
      )
      announceRolloutChange(rolloutId, trx)
      return true
    })
  }

  /**
   * Offers every ready pending target of a running rollout's current
   * stage, narrowed to one rollout or one machine.
   *
   * @returns how many `ota` went out
   */
  protected async offerPending(scope: { rolloutId?: number; machineId?: number }): Promise<number> {
    const targets = await FirmwareRolloutTarget.query()
      .join('firmware_rollouts', 'firmware_rollouts.id', 'firmware_rollout_targets.rollout_id')
      .where('firmware_rollouts.status', RolloutStatus.Running)
      .where('firmware_rollout_targets.state', RolloutTargetState.Pending)
      .whereRaw('firmware_rollout_targets.stage = firmware_rollouts.stage')
      .if(scope.rolloutId !== undefined, (query) =>
        query.where('firmware_rollouts.id', scope.rolloutId!)
      )
      .if(scope.machineId !== undefined, (query) =>
        query.where('firmware_rollout_targets.machine_id', scope.machineId!)
      )
      // A passing refusal waits `refusalRetryMs` before the next offer.
      .where((query) =>
        query
          .whereNull('firmware_rollout_targets.reason')
          .orWhereNotIn('firmware_rollout_targets.reason', [...PASSING_REFUSALS])
          .orWhere(
            'firmware_rollout_targets.updated_at',
            '<',
            dbTimestamp(
              db.connection(),
              DateTime.now().minus({ milliseconds: firmwareConfig.rollout.refusalRetryMs })
            )
          )
      )
      .select('firmware_rollout_targets.*')
      .select('firmware_rollouts.firmware_release_id as release_id')
      .orderBy('firmware_rollout_targets.id')
    const releases = new Map<number, FirmwareRelease | null>()
    let offered = 0
    for (const target of targets) {
      const releaseId = Number(target.$extras.release_id)
      if (!releases.has(releaseId)) releases.set(releaseId, await FirmwareRelease.find(releaseId))
      const release = releases.get(releaseId)
      if (release && (await this.offer(target, release))) offered++
    }
    return offered
  }

  /**
   * Whether machine `machine` may be offered an update now: online, no
   * vend in flight, outside its quiet hours, no other update in flight.
   */
  async isReady(machine: Machine, exceptTargetId?: number): Promise<boolean> {
    if (machine.status !== MachineStatus.Online) return false
    if (inQuietHours(machine.deviceSettings)) return false
    if (await Order.hasVendInFlight(machine.id)) return false
    const other = await FirmwareRolloutTarget.query()
      .where('machine_id', machine.id)
      .whereIn('state', [...TARGET_IN_FLIGHT])
      .if(exceptTargetId !== undefined, (query) => query.whereNot('id', exceptTargetId!))
      .select('id')
      .first()
    return other === null
  }

  /**
   * Offers `target` the `ota` of `release` if its machine is ready: moves
   * it `pending → sent` (attempts + 1, the firmware it runs now as
   * `version_before`), then sends the command.
   *
   * @returns whether it was sent
   */
  protected async offer(target: FirmwareRolloutTarget, release: FirmwareRelease): Promise<boolean> {
    const machine = await Machine.find(target.machineId)
    if (!machine || !(await this.isReady(machine, target.id))) return false
    const moved = await FirmwareRolloutTarget.transition(
      db.connection(),
      target.id,
      RolloutTargetState.Pending,
      RolloutTargetState.Sent,
      {
        attempts: target.attempts + 1,
        percent: null,
        reason: null,
        version_before: machine.firmwareVersion ?? target.versionBefore,
      }
    )
    if (!moved) return false
    const command: OtaCommand = {
      version: deviceFirmwareVersion(release.version),
      url: this.releases.downloadUrl(release, machine.id),
      size: release.sizeBytes,
      sha256: release.sha256,
      signature: release.signature,
    }
    // Only to a device that had its `hello` (PROTOCOL.md §13: nothing before it).
    this.channel.sendToGreeted(machine.id, ServerToDeviceEvent.Ota, command)
    void this.monitor.record(machine.id, 'out', ServerToDeviceEvent.Ota, {
      version: command.version,
      size: command.size,
      attempt: target.attempts + 1,
    })
    logger.info(
      { machine: machine.code, version: command.version, rollout: target.rolloutId },
      'firmware update offered'
    )
    announceRolloutChange(target.rolloutId)
    return true
  }

  /**
   * Gives up on stale offers (config/firmware.ts `rollout`): `sent` with no
   * answer in `offerTimeoutMs` goes back to pending, or fails `no_answer`
   * after `maxAttempts` offers; `downloading`/`verifying` with no frame in
   * `stallTimeoutMs` goes back to pending (the device answers a repeated
   * `ota` with where it stands); `rebooting` with no confirmation in
   * `confirmTimeoutMs` fails `not_confirmed`.
   *
   * @returns how many targets moved
   */
  protected async expireStale(): Promise<number> {
    const { offerTimeoutMs, stallTimeoutMs, confirmTimeoutMs, maxAttempts } = firmwareConfig.rollout
    const client = db.connection()
    const before = (ms: number) => dbTimestamp(client, DateTime.now().minus({ milliseconds: ms }))
    const stale = await FirmwareRolloutTarget.query()
      .where((query) => {
        query
          .where((q) =>
            q.where('state', RolloutTargetState.Sent).where('sent_at', '<', before(offerTimeoutMs))
          )
          .orWhere((q) =>
            q
              .whereIn('state', [RolloutTargetState.Downloading, RolloutTargetState.Verifying])
              .where('updated_at', '<', before(stallTimeoutMs))
          )
          .orWhere((q) =>
            q
              .where('state', RolloutTargetState.Rebooting)
              .where('updated_at', '<', before(confirmTimeoutMs))
          )
      })
      .preload('machine')
    let moved = 0
    for (const target of stale) {
      let to: RolloutTargetState
      let reason: string
      if (target.state === RolloutTargetState.Rebooting) {
        to = RolloutTargetState.Failed
        reason = 'not_confirmed'
      } else if (target.attempts >= maxAttempts) {
        to = RolloutTargetState.Failed
        reason = target.state === RolloutTargetState.Sent ? 'no_answer' : 'stalled'
      } else {
        to = RolloutTargetState.Pending
        reason = target.state === RolloutTargetState.Sent ? 'no_answer' : 'stalled'
      }
      if (
        await this.finishTarget(target, to, { reason }, target.machine?.firmwareVersion ?? null)
      ) {
        moved++
        logger.warn(
          { rollout: target.rolloutId, machine: target.machineId, from: target.state, to, reason },
          'firmware update offer expired'
        )
      }
    }
    return moved
  }

  /**
   * Moves `target` to `to` from the state it was read in, recording
   * `set`, and for a final state `version_after` and an audit row, and
   * announces it. A target sent back to pending in a cancelled rollout is
   * cancelled at once. The caller settles the rollout (`dispatchRollout`).
   *
   * @returns whether this call made the move
   */
  async finishTarget(
    target: FirmwareRolloutTarget,
    to: RolloutTargetState,
    set: Record<string, string | number | null>,
    versionAfter: string | null
  ): Promise<boolean> {
    return db.transaction(async (trx) => {
      let final = to !== RolloutTargetState.Pending && !TARGET_IN_FLIGHT.includes(to)
      const changes = final ? { ...set, version_after: versionAfter } : set
      if (!(await FirmwareRolloutTarget.transition(trx, target.id, target.state, to, changes))) {
        return false
      }
      if (to === RolloutTargetState.Pending) {
        // Back in line in a rollout that was cancelled meanwhile: it will
        // never be offered again, so it is cancelled like the others were.
        const rollout = await trx
          .from('firmware_rollouts')
          .where('id', target.rolloutId)
          .select('status')
          .first()
        if (rollout?.status === RolloutStatus.Cancelled) {
          await FirmwareRolloutTarget.transition(
            trx,
            target.id,
            RolloutTargetState.Pending,
            RolloutTargetState.Cancelled,
            { version_after: versionAfter }
          )
          to = RolloutTargetState.Cancelled
          final = true
        }
      }
      if (final) {
        await this.auditTrail.record(
          {
            actor: null,
            action: 'firmware.rollout.target',
            subjectType: ROLLOUT_SUBJECT,
            subjectId: target.rolloutId,
            before: { machine_id: target.machineId, state: target.state },
            after: {
              machine_id: target.machineId,
              state: to,
              reason: set.reason ?? null,
              version_after: versionAfter,
            },
          },
          trx
        )
      }
      announceRolloutChange(target.rolloutId, trx)
      return true
    })
  }
}
