import { RolloutStatus } from '#enums/rollout_status'
import {
  RolloutTargetState,
  TARGET_FAILURES,
  TARGET_FINAL,
  canTransitionTarget,
} from '#enums/rollout_target_state'
import { OtaProgressState, type OtaProgressMessage } from '#services/device_protocol'

/**
 * The pure rules of firmware rollouts, apart from the database so they can
 * be unit-tested: the canary's default size, how a device's `ota_progress`
 * frame moves a target, and what a stage's outcome does to its rollout.
 */

/** The audit subject of firmware rollouts. */
export const ROLLOUT_SUBJECT = 'firmware_rollout'

/**
 * The canary's size when the operator gave none: 1 machine, or 10 % of
 * `total` rounded up once there are 20 or more (a 200-machine rollout
 * tries 20 first: enough to see a 1-in-20 fault, few enough to lose).
 */
export function defaultCanaryCount(total: number): number {
  return total >= 20 ? Math.ceil(total / 10) : 1
}

/**
 * Device refusals that pass (firmware/PROTOCOL.md §13.1): the machine was
 * busy, in its quiet hours by its own clock, or installing something else.
 * The target goes back to pending and is offered again later.
 */
export const PASSING_REFUSALS: readonly string[] = [
  'vend_in_progress',
  'quiet_hours',
  'update_in_progress',
]

/**
 * What a progress frame does to a target: move it to `to` with `set`
 * (percent, reason), or only raise its `percent` while downloading.
 * `versionAfter` says which firmware to record as running after it:
 * `reported` (the machine's last reported firmware), `target` (the
 * release's, for `already_installed`) or none.
 */
export type ProgressMove =
  | {
      kind: 'move'
      to: RolloutTargetState
      percent?: number | null
      reason?: string | null
      versionAfter?: 'reported' | 'target'
    }
  | { kind: 'percent'; percent: number }

/**
 * How frame `frame` moves a target now in `state` with `percent`, or null
 * when it changes nothing: a duplicate, a stale frame (progress never goes
 * back: `downloading` after `verifying`), or one for a target that ended.
 * A pending target that was offered before is judged as if `sent` (the
 * answer to an offer that timed out arrived late).
 */
export function progressMove(
  state: RolloutTargetState,
  percent: number | null,
  frame: Pick<OtaProgressMessage, 'state' | 'percent' | 'reason'>
): ProgressMove | null {
  const from = state === RolloutTargetState.Pending ? RolloutTargetState.Sent : state
  const move = (next: Omit<Extract<ProgressMove, { kind: 'move' }>, 'kind'>) =>
    canTransitionTarget(from, next.to) ? ({ kind: 'move', ...next } as const) : null

  switch (frame.state) {
    case OtaProgressState.Downloading: {
      if (from === RolloutTargetState.Downloading) {
        const next = frame.percent ?? 0
        return next > (percent ?? -1) ? { kind: 'percent', percent: next } : null
      }
      return move({ to: RolloutTargetState.Downloading, percent: frame.percent ?? 0 })
    }
    case OtaProgressState.Verifying:
      return move({ to: RolloutTargetState.Verifying, percent: 100 })
    case OtaProgressState.Rebooting:
      return move({ to: RolloutTargetState.Rebooting, percent: 100 })
    case OtaProgressState.Confirmed:
      return move({ to: RolloutTargetState.Confirmed, versionAfter: 'reported' })
    case OtaProgressState.RolledBack:
      return move({
        to: RolloutTargetState.RolledBack,
        reason: frame.reason ?? 'unknown',
        versionAfter: 'reported',
      })
    case OtaProgressState.Failed: {
      const reason = frame.reason ?? 'unknown'
      if (reason === 'already_installed') {
        return move({ to: RolloutTargetState.Confirmed, reason, versionAfter: 'target' })
      }
      if (PASSING_REFUSALS.includes(reason)) {
        // A state pending already waits for its next offer.
        if (state === RolloutTargetState.Pending) return null
        return move({ to: RolloutTargetState.Pending, reason })
      }
      return move({ to: RolloutTargetState.Failed, reason, versionAfter: 'reported' })
    }
    default:
      return null
  }
}

/**
 * What a rollout's targets say it should do next:
 * - `halt`: the current stage's failed and rolled-back targets, beyond the
 *   `failuresAccepted` by an operator's resume, reached `failureThreshold`
 *   (only a running rollout halts);
 * - `advance`: every target of the current stage ended and a later stage
 *   has targets: start it;
 * - `complete`: every target ended;
 * - `none`: keep going.
 * Only a running rollout advances or completes: a paused or halted one
 * waits for its operator, and a cancelled or completed one is done.
 */
export function stageOutcome(
  rollout: {
    status: RolloutStatus
    stage: number
    failureThreshold: number
    failuresAccepted?: number
  },
  targets: readonly { stage: number; state: RolloutTargetState }[]
):
  | { kind: 'halt'; failures: number }
  | { kind: 'advance'; stage: number }
  | { kind: 'complete' }
  | { kind: 'none' } {
  if (rollout.status !== RolloutStatus.Running) return { kind: 'none' }
  const current = targets.filter((target) => target.stage === rollout.stage)
  const failures = current.filter((target) => TARGET_FAILURES.includes(target.state)).length
  if (failures - (rollout.failuresAccepted ?? 0) >= rollout.failureThreshold) {
    return { kind: 'halt', failures }
  }
  if (!current.every((target) => TARGET_FINAL.includes(target.state))) return { kind: 'none' }
  const later = targets.filter((target) => target.stage > rollout.stage).map((t) => t.stage)
  if (later.length > 0) return { kind: 'advance', stage: Math.min(...later) }
  return targets.every((target) => TARGET_FINAL.includes(target.state))
    ? { kind: 'complete' }
    : { kind: 'none' }
}
