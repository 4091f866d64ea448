import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { RolloutStatus, canTransitionRollout } from '#enums/rollout_status'
import { RolloutTargetState, TARGET_FINAL, canTransitionTarget } from '#enums/rollout_target_state'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import Machine from '#models/machine'
import { MachineStatus } from '#enums/machine_status'
import InvalidRolloutTransitionException from '#exceptions/invalid_rollout_transition_exception'

/** A release, a machine and a running rollout with one pending target. */
async function rolloutWithOneTarget() {
  const release = await FirmwareRelease.create({
    version: '1.2.3',
    sizeBytes: 1024,
    sha256: 'a'.repeat(64),
    signature: 'MEUCIQ==',
    fileName: 'test.bin',
  })
  const machine = await Machine.create({
    code: 'rollout-1',
    name: 'Rollout test',
    deviceKeyHash: 'x',
    status: MachineStatus.Online,
  })
  const rollout = await FirmwareRollout.create({
    firmwareReleaseId: release.id,
    status: RolloutStatus.Running,
    selector: 'machines rollout-1',
    stage: 0,
    failureThreshold: 1,
  })
  const target = await FirmwareRolloutTarget.create({
    rolloutId: rollout.id,
    machineId: machine.id,
    stage: 0,
    state: RolloutTargetState.Pending,
    attempts: 0,
  })
  return { release, machine, rollout, target }
}

test.group('Rollout transitions', (group) => {
  group.each.setup(async () => {
    await db.beginGlobalTransaction()
    return () => db.rollbackGlobalTransaction()
  })

  test('cancelled and completed rollouts are final; paused and halted ones may resume', ({
    assert,
  }) => {
    for (const to of Object.values(RolloutStatus)) {
      assert.isFalse(canTransitionRollout(RolloutStatus.Cancelled, to))
      assert.isFalse(canTransitionRollout(RolloutStatus.Completed, to))
    }
    assert.isTrue(canTransitionRollout(RolloutStatus.Paused, RolloutStatus.Running))
    assert.isTrue(canTransitionRollout(RolloutStatus.Halted, RolloutStatus.Running))
    assert.isFalse(canTransitionRollout(RolloutStatus.Paused, RolloutStatus.Completed))
  })

  test('final target states lead nowhere and progress never goes back', ({ assert }) => {
    for (const from of TARGET_FINAL) {
      for (const to of Object.values(RolloutTargetState)) {
        assert.isFalse(canTransitionTarget(from, to), `${from}→${to}`)
      }
    }
    assert.isFalse(
      canTransitionTarget(RolloutTargetState.Verifying, RolloutTargetState.Downloading)
    )
    assert.isFalse(canTransitionTarget(RolloutTargetState.Rebooting, RolloutTargetState.Pending))
    assert.isFalse(canTransitionTarget(RolloutTargetState.Pending, RolloutTargetState.Confirmed))
  })

  test('of two racing moves of one target exactly one wins, and a final state is stamped', async ({
    assert,
  }) => {
    const { target } = await rolloutWithOneTarget()
    const client = db.connection()
    assert.isTrue(
      await FirmwareRolloutTarget.transition(
        client,
        target.id,
        RolloutTargetState.Pending,
        RolloutTargetState.Sent
      )
    )
    assert.isFalse(
      await FirmwareRolloutTarget.transition(
        client,
        target.id,
        RolloutTargetState.Pending,
        RolloutTargetState.Sent
      )
    )
    assert.isTrue(
      await FirmwareRolloutTarget.transition(
        client,
        target.id,
        [RolloutTargetState.Sent, RolloutTargetState.Downloading],
        RolloutTargetState.Failed,
        { reason: 'sha256_mismatch' }
      )
    )
    await target.refresh()
    assert.equal(target.state, RolloutTargetState.Failed)
    assert.equal(target.reason, 'sha256_mismatch')
    assert.isNotNull(target.sentAt)
    assert.isNotNull(target.finishedAt)
  })

  test('a rollout move is conditional on its status and refuses a move the table lacks', async ({
    assert,
  }) => {
    const { rollout } = await rolloutWithOneTarget()
    const client = db.connection()
    assert.isTrue(
      await FirmwareRollout.transition(
        client,
        rollout.id,
        RolloutStatus.Running,
        RolloutStatus.Halted,
        {
          halt_reason: '1 of 1 failed in stage 0',
        }
      )
    )
    assert.isFalse(
      await FirmwareRollout.transition(
        client,
        rollout.id,
        RolloutStatus.Running,
        RolloutStatus.Paused
      )
    )
    await assert.rejects(
      () =>
        FirmwareRollout.transition(
          client,
          rollout.id,
          RolloutStatus.Cancelled,
          RolloutStatus.Running
        ),
      InvalidRolloutTransitionException
    )
    await rollout.refresh()
    assert.equal(rollout.status, RolloutStatus.Halted)
    assert.equal(rollout.haltReason, '1 of 1 failed in stage 0')
    assert.isNull(rollout.finishedAt)
  })
})
