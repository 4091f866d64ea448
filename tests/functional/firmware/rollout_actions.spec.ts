import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import StartRollout from '#actions/firmware/start_rollout'
import PauseRollout from '#actions/firmware/pause_rollout'
import ResumeRollout from '#actions/firmware/resume_rollout'
import CancelRollout from '#actions/firmware/cancel_rollout'
import AuditLog from '#models/audit_log'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import type Machine from '#models/machine'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import RolloutReport from '#services/rollout_report'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { eventually } from '#tests/helpers/device'
import { keepFirmwareClean } from '#tests/helpers/firmware'
import { connectDashboard, publishRelease } from '#tests/helpers/rollouts'

async function machines(count: number, merge: Partial<Machine> = {}) {
  return MachineFactory.merge(merge).createMany(count)
}

async function start(input: Partial<Parameters<StartRollout['handle']>[0]>) {
  const action = await app.container.make(StartRollout)
  return action.handle({ version: '1.2.3', actor: null, ...input })
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as { status: number; code: string; message: string; field?: string }
  }
  throw new Error('expected a refusal')
}

async function targetsOf(rolloutId: number) {
  return FirmwareRolloutTarget.query().where('rollout_id', rolloutId).orderBy('machine_id')
}

test.group('Firmware rollouts: starting, pausing, resuming, cancelling', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)
  group.each.setup(async () => {
    await publishRelease('1.2.3')
  })

  test('starts a rollout on named machines: a one-machine canary, then the rest', async ({
    assert,
  }) => {
    const fleet = await machines(4, { firmwareVersion: 'vendora-esp32-1.2.2' })
    const rollout = await start({ machineCodes: fleet.map((machine) => machine.code) })

    assert.equal(rollout.status, RolloutStatus.Running)
    assert.equal(rollout.stage, 0)
    assert.equal(rollout.failureThreshold, 1)
    assert.equal(rollout.selector, `machines ${fleet.map((machine) => machine.code).join(', ')}`)
    const targets = await targetsOf(rollout.id)
    assert.lengthOf(targets, 4)
    assert.equal(targets.filter((target) => target.stage === 0).length, 1)
    assert.equal(targets.filter((target) => target.stage === 1).length, 3)
    for (const target of targets) {
      // Offline machines are offered nothing.
      assert.equal(target.state, RolloutTargetState.Pending)
      assert.equal(target.attempts, 0)
      assert.equal(target.versionBefore, 'vendora-esp32-1.2.2')
    }
    const audit = await AuditLog.query().where('action', 'firmware.rollout.start').firstOrFail()
    assert.equal(audit.subjectId, rollout.id)
    assert.equal(audit.userId, null)
    assert.deepEqual((audit.after as { machines: string[] }).machines.sort(), fleet.map((m) => m.code).sort())
  })

  test('takes a canary size and a threshold; no stage 1 when every machine fits in the canary', async ({
    assert,
  }) => {
    const fleet = await machines(3)
    const rollout = await start({
      machineCodes: fleet.map((machine) => machine.code),
      canaryCount: 5,
      failureThreshold: 2,
    })
    assert.equal(rollout.failureThreshold, 2)
    const targets = await targetsOf(rollout.id)
    assert.deepEqual(
      targets.map((target) => target.stage),
      [0, 0, 0]
    )
  })

  test('a default canary of 10 % rounded up from 20 machines on', async ({ assert }) => {
    await machines(21, { tags: ['airport'] })
    const rollout = await start({ tag: 'airport' })
    const targets = await targetsOf(rollout.id)
    assert.lengthOf(targets, 21)
    assert.equal(targets.filter((target) => target.stage === 0).length, 3)
  })

  test('picks machines by tag, skipping those already on the version', async ({ assert }) => {
    const tagged = await machines(2, { tags: ['airport', 'north'] })
    const current = await MachineFactory.merge({
      tags: ['airport'],
      firmwareVersion: 'vendora-esp32-1.2.3',
    }).create()
    await machines(2, { tags: ['campus'] })

    const rollout = await start({ tag: 'Airport' })
    const targets = await targetsOf(rollout.id)
    assert.sameMembers(
      targets.map((target) => target.machineId),
      tagged.map((machine) => machine.id)
    )
    assert.equal(rollout.selector, `tag airport; skipped 1 already on 1.2.3: ${current.code}`)
  })

  test('picks a random share of the fleet, at least one machine', async ({ assert }) => {
    await machines(10)
    const share = await start({ percent: 30 })
    assert.lengthOf(await targetsOf(share.id), 3)
    assert.equal(share.selector, '30% of the fleet')

    // The 7 others are free; 1 % of 10 rounds up to one machine.
    const one = await start({ percent: 1 })
    const targets = await targetsOf(one.id)
    assert.lengthOf(targets, 1)
    const first = (await targetsOf(share.id)).map((target) => target.machineId)
    assert.notInclude(first, targets[0].machineId)
  })

  test('refuses an unknown release, an unknown machine, a bad selector and nothing to do', async ({
    assert,
  }) => {
    const [machine] = await machines(1)

    const unknownRelease = await refusal(start({ version: '9.9.9', machineCodes: [machine.code] }))
    assert.equal(unknownRelease.status, 404)
    assert.equal(unknownRelease.code, 'unknown_release')

    const unknownMachine = await refusal(start({ machineCodes: [machine.code, 'nope-1'] }))
    assert.equal(unknownMachine.status, 422)
    assert.equal(unknownMachine.code, 'unknown_machine')
    assert.include(unknownMachine.message, 'nope-1')

    const none = await refusal(start({}))
    assert.equal(none.status, 422)
    assert.equal(none.code, 'invalid_selector')
    const two = await refusal(start({ tag: 'x', percent: 10 }))
    assert.equal(two.code, 'invalid_selector')

    const badPercent = await refusal(start({ percent: 0 }))
    assert.instanceOf(badPercent, vineErrors.E_VALIDATION_ERROR)
    assert.equal(badPercent.status, 422)

    const noTag = await refusal(start({ tag: 'nowhere' }))
    assert.equal(noTag.status, 422)
    assert.equal(noTag.code, 'no_machines_selected')

    machine.firmwareVersion = 'vendora-esp32-1.2.3'
    await machine.save()
    const upToDate = await refusal(start({ machineCodes: [machine.code] }))
    assert.equal(upToDate.code, 'no_machines_selected')

    assert.lengthOf(await FirmwareRollout.all(), 0)
  })

  test('refuses a machine held by an active rollout, until that one is cancelled', async ({
    assert,
  }) => {
    const fleet = await machines(2)
    const first = await start({ machineCodes: [fleet[0].code] })
    const busy = await refusal(start({ machineCodes: fleet.map((machine) => machine.code) }))
    assert.equal(busy.status, 409)
    assert.equal(busy.code, 'machine_in_rollout')
    assert.include(busy.message, fleet[0].code)

    await (await app.container.make(CancelRollout)).handle(first, null)
    const second = await start({ machineCodes: fleet.map((machine) => machine.code) })
    assert.lengthOf(await targetsOf(second.id), 2)
  })

  test('of two starts racing for one machine, one wins and the other is refused', async ({
    assert,
  }) => {
    const [machine] = await machines(1)
    const outcomes = await Promise.allSettled([
      start({ machineCodes: [machine.code] }),
      start({ machineCodes: [machine.code] }),
    ])
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1)
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')
    assert.equal((refused as PromiseRejectedResult).reason.code, 'machine_in_rollout')
    assert.lengthOf(await FirmwareRolloutTarget.all(), 1)
  })

  test('pauses, resumes and cancels, refusing moves the status does not allow', async ({
    assert,
  }) => {
    const fleet = await machines(3)
    const rollout = await start({ machineCodes: fleet.map((machine) => machine.code) })
    const pauseAction = await app.container.make(PauseRollout)
    const resumeAction = await app.container.make(ResumeRollout)
    const cancelAction = await app.container.make(CancelRollout)

    const notPaused = await refusal(resumeAction.handle(rollout, null))
    assert.equal(notPaused.status, 409)
    assert.equal(notPaused.code, 'invalid_rollout_state')

    assert.equal((await pauseAction.handle(rollout, null)).status, RolloutStatus.Paused)
    assert.equal((await refusal(pauseAction.handle(rollout, null))).code, 'invalid_rollout_state')
    assert.equal((await resumeAction.handle(rollout, null)).status, RolloutStatus.Running)

    const cancelled = await cancelAction.handle(rollout, null)
    assert.equal(cancelled.status, RolloutStatus.Cancelled)
    assert.isNotNull(cancelled.finishedAt)
    for (const target of await targetsOf(rollout.id)) {
      assert.equal(target.state, RolloutTargetState.Cancelled)
      assert.isNotNull(target.finishedAt)
    }
    assert.equal((await refusal(cancelAction.handle(rollout, null))).code, 'invalid_rollout_state')
    assert.equal((await refusal(resumeAction.handle(rollout, null))).code, 'invalid_rollout_state')

    const actions = (await AuditLog.query()
      .where('subject_type', 'firmware_rollout')
      .where('subject_id', rollout.id)
      .orderBy('id')).map(
      (row) => row.action
    )
    assert.deepEqual(actions, [
      'firmware.rollout.start',
      'firmware.rollout.pause',
      'firmware.rollout.resume',
      'firmware.rollout.cancel',
    ])
  })

  test('reports a rollout with its release and targets', async ({ assert }) => {
    const fleet = await machines(2, { firmwareVersion: 'vendora-esp32-1.0.0' })
    const rollout = await start({ machineCodes: fleet.map((machine) => machine.code) })
    const report = await new RolloutReport().find(rollout.id)
    assert.isNotNull(report)
    assert.equal(report!.release.version, '1.2.3')
    assert.equal(report!.status, RolloutStatus.Running)
    assert.lengthOf(report!.targets, 2)
    assert.deepEqual(report!.counts, { pending: 2 })
    assert.isFalse(report!.done)
    const [canary] = report!.targets
    assert.equal(canary.stage, 0)
    assert.include(
      fleet.map((machine) => machine.code),
      canary.machineCode
    )
    assert.equal(canary.versionBefore, 'vendora-esp32-1.0.0')
    assert.isNull(canary.versionAfter)
    assert.equal(canary.attempts, 0)
    assert.isNull(await new RolloutReport().find(rollout.id + 100))
    assert.lengthOf(await new RolloutReport().latest(), 1)
  })

  test('tells dashboards rollout_changed after each change', async ({ assert, cleanup }) => {
    const dashboard = await connectDashboard()
    cleanup(() => void dashboard.socket.close())
    const fleet = await machines(2)
    const rollout = await start({ machineCodes: fleet.map((machine) => machine.code) })
    await eventually(async () => dashboard.changes.length >= 1)
    await (await app.container.make(PauseRollout)).handle(rollout, null)
    await eventually(async () => dashboard.changes.length >= 2)
    assert.deepEqual(dashboard.changes, [rollout.id, rollout.id])
  })
})
