import { type RolloutTargetState, TARGET_FINAL } from '#enums/rollout_target_state'
import type { RolloutStatus } from '#enums/rollout_status'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'

/**
 * One machine of a rollout as the panel and the CLI show it.
 * `versionBefore`/`versionAfter` are device firmware strings
 * (`vendora-esp32-1.2.3`); `percent` the last download progress (0–100);
 * `reason` the device's (or the server's: `no_answer`, `not_confirmed`,
 * `stalled`) reason; `attempts` how many times the `ota` went out.
 */
export interface RolloutTargetView {
  id: number
  machineId: number
  machineCode: string
  machineName: string
  /** The firmware the machine reported last (`status`), whatever this rollout did. */
  machineFirmware: string | null
  stage: number
  state: RolloutTargetState
  versionBefore: string | null
  versionAfter: string | null
  percent: number | null
  reason: string | null
  attempts: number
  sentAt: string | null
  finishedAt: string | null
}

/**
 * A rollout with its release and targets. `counts` holds how many targets
 * are in each state; `done` is true once every target ended (what
 * `firmware:rollout --wait` waits for).
 */
export interface RolloutView {
  id: number
  status: RolloutStatus
  selector: string
  stage: number
  failureThreshold: number
  haltReason: string | null
  createdBy: number | null
  createdAt: string
  finishedAt: string | null
  release: { id: number; version: string; sizeBytes: number; sha256: string }
  targets: RolloutTargetView[]
  counts: Partial<Record<RolloutTargetState, number>>
  done: boolean
}

/**
 * Reads rollouts for people (the panel, `node ace firmware:rollout`):
 * plain objects with ISO 8601 times, targets ordered by stage then
 * machine code.
 */
export default class RolloutReport {
  /**
   * Rollout `rolloutId`, or null when there is none.
   */
  async find(rolloutId: number): Promise<RolloutView | null> {
    const rollout = await FirmwareRollout.query().where('id', rolloutId).preload('release').first()
    if (!rollout) return null
    const targets = await FirmwareRolloutTarget.query()
      .where('rollout_id', rolloutId)
      .preload('machine')
    return RolloutReport.view(rollout, targets)
  }

  /**
   * The latest `limit` rollouts, newest first, each with its targets.
   */
  async latest(limit = 20): Promise<RolloutView[]> {
    const rollouts = await FirmwareRollout.query()
      .preload('release')
      .preload('targets', (query) => query.preload('machine'))
      .orderBy('id', 'desc')
      .limit(limit)
    return rollouts.map((rollout) => RolloutReport.view(rollout, rollout.targets))
  }

  protected static view(rollout: FirmwareRollout, targets: FirmwareRolloutTarget[]): RolloutView {
    const views = targets
      .map((target): RolloutTargetView => ({
        id: target.id,
        machineId: target.machineId,
        machineCode: target.machine?.code ?? String(target.machineId),
        machineName: target.machine?.name ?? '',
        machineFirmware: target.machine?.firmwareVersion ?? null,
        stage: target.stage,
        state: target.state,
        versionBefore: target.versionBefore,
        versionAfter: target.versionAfter,
        percent: target.percent,
        reason: target.reason,
        attempts: target.attempts,
        sentAt: target.sentAt?.toISO() ?? null,
        finishedAt: target.finishedAt?.toISO() ?? null,
      }))
      .sort((a, b) => a.stage - b.stage || a.machineCode.localeCompare(b.machineCode))
    const counts: Partial<Record<RolloutTargetState, number>> = {}
    for (const target of views) counts[target.state] = (counts[target.state] ?? 0) + 1
    return {
      id: rollout.id,
      status: rollout.status,
      selector: rollout.selector,
      stage: rollout.stage,
      failureThreshold: rollout.failureThreshold,
      haltReason: rollout.haltReason,
      createdBy: rollout.createdBy,
      createdAt: rollout.createdAt.toISO()!,
      finishedAt: rollout.finishedAt?.toISO() ?? null,
      release: {
        id: rollout.release.id,
        version: rollout.release.version,
        sizeBytes: rollout.release.sizeBytes,
        sha256: rollout.release.sha256,
      },
      targets: views,
      counts,
      done: views.every((target) => TARGET_FINAL.includes(target.state)),
    }
  }
}
