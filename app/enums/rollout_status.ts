/**
 * The life of a firmware rollout.
 *
 * `running`: the server offers the release to the targets of the current
 * stage as they become ready. `paused`: an operator stopped new offers;
 * updates already on their way finish. `halted`: the stage's failures
 * reached the rollout's threshold, and the server stopped new offers by
 * itself (`halt_reason` says why). `cancelled`: an operator ended it;
 * targets not yet offered are cancelled. `completed`: every target ended.
 */
export enum RolloutStatus {
  Running = 'running',
  Paused = 'paused',
  Halted = 'halted',
  Cancelled = 'cancelled',
  Completed = 'completed',
}

/**
 * The allowed moves of `firmware_rollouts.status`; `FirmwareRollout.transition`
 * refuses anything else. A halted rollout may be resumed by an operator
 * who looked at the failures; cancelled and completed are final.
 */
export const ROLLOUT_TRANSITIONS: Record<RolloutStatus, readonly RolloutStatus[]> = {
  [RolloutStatus.Running]: [
    RolloutStatus.Paused,
    RolloutStatus.Halted,
    RolloutStatus.Cancelled,
    RolloutStatus.Completed,
  ],
  [RolloutStatus.Paused]: [RolloutStatus.Running, RolloutStatus.Cancelled],
  [RolloutStatus.Halted]: [RolloutStatus.Running, RolloutStatus.Cancelled],
  [RolloutStatus.Cancelled]: [],
  [RolloutStatus.Completed]: [],
}

/** Whether a rollout may move `from → to`. */
export function canTransitionRollout(from: RolloutStatus, to: RolloutStatus): boolean {
  return ROLLOUT_TRANSITIONS[from].includes(to)
}

/** Rollouts that still hold their machines: no second rollout may target them. */
export const ACTIVE_ROLLOUT: readonly RolloutStatus[] = [
  RolloutStatus.Running,
  RolloutStatus.Paused,
  RolloutStatus.Halted,
]
