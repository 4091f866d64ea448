/**
 * Where one machine's update stands within a rollout. After `sent` the
 * states are the device's `ota_progress` states (firmware/PROTOCOL.md
 * §13.1).
 *
 * `pending`: not offered yet (waiting for its stage, for the machine to be
 * online, idle and outside its quiet hours). `sent`: the `ota` went out, no
 * progress yet. `downloading`, `verifying`, `rebooting`: as reported.
 * Final: `confirmed` (the new image rejoined and kept itself), `failed`
 * (refused or failed, `reason` says why; the old image runs),
 * `rolled_back` (the new image was given up), `cancelled` (the rollout
 * was cancelled before this machine was offered the update).
 */
export enum RolloutTargetState {
  Pending = 'pending',
  Sent = 'sent',
  Downloading = 'downloading',
  Verifying = 'verifying',
  Rebooting = 'rebooting',
  Confirmed = 'confirmed',
  Failed = 'failed',
  RolledBack = 'rolled_back',
  Cancelled = 'cancelled',
}

const IN_FLIGHT = [
  RolloutTargetState.Sent,
  RolloutTargetState.Downloading,
  RolloutTargetState.Verifying,
  RolloutTargetState.Rebooting,
] as const

/**
 * The allowed moves of `firmware_rollout_targets.state`;
 * `FirmwareRolloutTarget.transition` refuses anything else.
 *
 * - An update in flight may go back to `pending` when the device refused
 *   it for a passing reason (a vend started, quiet hours began, its link
 *   dropped before any progress) or the offer went unanswered: it is
 *   offered again later, with a fresh download URL.
 * - Progress may skip states (a lost frame, a device that was already
 *   past a step), but never goes back: `downloading` after `verifying` is
 *   ignored.
 * - `rolled_back` comes from the old image after the new one was given up,
 *   so it follows `rebooting` (or any in-flight state whose frames were lost).
 */
export const ROLLOUT_TARGET_TRANSITIONS: Record<RolloutTargetState, readonly RolloutTargetState[]> =
  {
    [RolloutTargetState.Pending]: [RolloutTargetState.Sent, RolloutTargetState.Cancelled],
    [RolloutTargetState.Sent]: [
      RolloutTargetState.Pending,
      RolloutTargetState.Downloading,
      RolloutTargetState.Verifying,
      RolloutTargetState.Rebooting,
      RolloutTargetState.Confirmed,
      RolloutTargetState.Failed,
      RolloutTargetState.RolledBack,
    ],
    [RolloutTargetState.Downloading]: [
      RolloutTargetState.Pending,
      RolloutTargetState.Verifying,
      RolloutTargetState.Rebooting,
      RolloutTargetState.Confirmed,
      RolloutTargetState.Failed,
      RolloutTargetState.RolledBack,
    ],
    [RolloutTargetState.Verifying]: [
      RolloutTargetState.Pending,
      RolloutTargetState.Rebooting,
      RolloutTargetState.Confirmed,
      RolloutTargetState.Failed,
      RolloutTargetState.RolledBack,
    ],
    [RolloutTargetState.Rebooting]: [
      RolloutTargetState.Confirmed,
      RolloutTargetState.Failed,
      RolloutTargetState.RolledBack,
    ],
    [RolloutTargetState.Confirmed]: [],
    [RolloutTargetState.Failed]: [],
    [RolloutTargetState.RolledBack]: [],
    [RolloutTargetState.Cancelled]: [],
  }

/** Whether a target may move `from → to`. */
export function canTransitionTarget(from: RolloutTargetState, to: RolloutTargetState): boolean {
  return ROLLOUT_TARGET_TRANSITIONS[from].includes(to)
}

/** States of an update on its way: the `ota` went out and it has not ended. */
export const TARGET_IN_FLIGHT: readonly RolloutTargetState[] = IN_FLIGHT

/** States in which a target has ended. */
export const TARGET_FINAL: readonly RolloutTargetState[] = [
  RolloutTargetState.Confirmed,
  RolloutTargetState.Failed,
  RolloutTargetState.RolledBack,
  RolloutTargetState.Cancelled,
]

/** Final states that count as a failure towards a stage's halt threshold. */
export const TARGET_FAILURES: readonly RolloutTargetState[] = [
  RolloutTargetState.Failed,
  RolloutTargetState.RolledBack,
]
