import { test } from '@japa/runner'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState as S } from '#enums/rollout_target_state'
import { defaultCanaryCount, progressMove, stageOutcome } from '#services/rollout_plan'

test.group('Rollout plan: the canary', () => {
  test('is one machine below 20, then 10 % rounded up', ({ assert }) => {
    assert.deepEqual(
      [1, 2, 19, 20, 21, 30, 31, 200].map(defaultCanaryCount),
      [1, 1, 1, 2, 3, 3, 4, 20]
    )
  })
})

test.group('Rollout plan: progress frames (firmware/PROTOCOL.md §13.1)', () => {
  test('move a target forwards, skipping lost states', ({ assert }) => {
    assert.deepEqual(progressMove(S.Sent, null, { state: 'downloading', percent: 0 }), {
      kind: 'move',
      to: S.Downloading,
      percent: 0,
    })
    assert.deepEqual(progressMove(S.Sent, null, { state: 'rebooting' }), {
      kind: 'move',
      to: S.Rebooting,
      percent: 100,
    })
    assert.deepEqual(progressMove(S.Rebooting, 100, { state: 'confirmed' }), {
      kind: 'move',
      to: S.Confirmed,
      versionAfter: 'reported',
    })
  })

  test('raise the percent while downloading, ignoring duplicates and lower values', ({
    assert,
  }) => {
    assert.deepEqual(progressMove(S.Downloading, 10, { state: 'downloading', percent: 40 }), {
      kind: 'percent',
      percent: 40,
    })
    assert.isNull(progressMove(S.Downloading, 40, { state: 'downloading', percent: 40 }))
    assert.isNull(progressMove(S.Downloading, 40, { state: 'downloading', percent: 20 }))
  })

  test('never go back, and change nothing once the target ended', ({ assert }) => {
    assert.isNull(progressMove(S.Verifying, 100, { state: 'downloading', percent: 90 }))
    assert.isNull(progressMove(S.Rebooting, 100, { state: 'verifying' }))
    for (const final of [S.Confirmed, S.Failed, S.RolledBack, S.Cancelled]) {
      assert.isNull(progressMove(final, null, { state: 'failed', reason: 'flash_error' }), final)
      assert.isNull(progressMove(final, null, { state: 'confirmed' }), final)
    }
  })

  test('send passing refusals back to pending, count already_installed as confirmed', ({
    assert,
  }) => {
    for (const reason of ['vend_in_progress', 'quiet_hours', 'update_in_progress']) {
      assert.deepEqual(progressMove(S.Sent, null, { state: 'failed', reason }), {
        kind: 'move',
        to: S.Pending,
        reason,
      })
    }
    // Once rebooting the device is past refusing.
    assert.isNull(progressMove(S.Rebooting, 100, { state: 'failed', reason: 'quiet_hours' }))
    assert.deepEqual(progressMove(S.Sent, null, { state: 'failed', reason: 'already_installed' }), {
      kind: 'move',
      to: S.Confirmed,
      reason: 'already_installed',
      versionAfter: 'target',
    })
  })

  test('record failures and roll-backs with their reason', ({ assert }) => {
    assert.deepEqual(
      progressMove(S.Downloading, 30, { state: 'failed', reason: 'sha256_mismatch' }),
      {
        kind: 'move',
        to: S.Failed,
        reason: 'sha256_mismatch',
        versionAfter: 'reported',
      }
    )
    assert.deepEqual(
      progressMove(S.Rebooting, 100, { state: 'rolled_back', reason: 'not_confirmed' }),
      {
        kind: 'move',
        to: S.RolledBack,
        reason: 'not_confirmed',
        versionAfter: 'reported',
      }
    )
    assert.deepEqual(progressMove(S.Sent, null, { state: 'failed' }), {
      kind: 'move',
      to: S.Failed,
      reason: 'unknown',
      versionAfter: 'reported',
    })
  })

  test('judge a pending target offered before as sent (a late answer)', ({ assert }) => {
    assert.deepEqual(progressMove(S.Pending, null, { state: 'downloading', percent: 10 }), {
      kind: 'move',
      to: S.Downloading,
      percent: 10,
    })
    assert.isNull(progressMove(S.Pending, null, { state: 'failed', reason: 'quiet_hours' }))
  })
})

test.group('Rollout plan: stage outcomes', () => {
  const running = { status: RolloutStatus.Running, stage: 0, failureThreshold: 1 }

  test('halts at the threshold of failures in the current stage', ({ assert }) => {
    const targets = [
      { stage: 0, state: S.RolledBack },
      { stage: 0, state: S.Downloading },
      { stage: 1, state: S.Pending },
    ]
    assert.deepEqual(stageOutcome(running, targets), { kind: 'halt', failures: 1 })
    assert.deepEqual(stageOutcome({ ...running, failureThreshold: 2 }, targets), { kind: 'none' })
    // An operator resumed after that failure: the next one halts again.
    assert.deepEqual(stageOutcome({ ...running, failuresAccepted: 1 }, targets), { kind: 'none' })
    assert.deepEqual(
      stageOutcome({ ...running, failuresAccepted: 1 }, [
        ...targets,
        { stage: 0, state: S.Failed },
      ]),
      { kind: 'halt', failures: 2 }
    )
  })

  test('starts the next stage once the current one ended, then completes', ({ assert }) => {
    const canaryDone = [
      { stage: 0, state: S.Confirmed },
      { stage: 1, state: S.Pending },
    ]
    assert.deepEqual(stageOutcome(running, canaryDone), { kind: 'advance', stage: 1 })
    const allDone = [
      { stage: 0, state: S.Confirmed },
      { stage: 1, state: S.Failed },
      { stage: 1, state: S.Confirmed },
    ]
    assert.deepEqual(stageOutcome({ ...running, stage: 1, failureThreshold: 2 }, allDone), {
      kind: 'complete',
    })
    assert.deepEqual(stageOutcome({ ...running, stage: 1 }, [{ stage: 1, state: S.Sent }]), {
      kind: 'none',
    })
  })

  test('does nothing unless running', ({ assert }) => {
    const failed = [{ stage: 0, state: S.Failed }]
    for (const status of [
      RolloutStatus.Paused,
      RolloutStatus.Halted,
      RolloutStatus.Cancelled,
      RolloutStatus.Completed,
    ]) {
      assert.deepEqual(stageOutcome({ ...running, status }, failed), { kind: 'none' }, status)
    }
  })
})
