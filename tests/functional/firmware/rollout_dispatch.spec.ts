import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import firmwareConfig from '#config/firmware'
import StartRollout from '#actions/firmware/start_rollout'
import PauseRollout from '#actions/firmware/pause_rollout'
import ResumeRollout from '#actions/firmware/resume_rollout'
import CancelRollout from '#actions/firmware/cancel_rollout'
import AuditLog from '#models/audit_log'
import DeviceEvent from '#models/device_event'
import FirmwareRollout from '#models/firmware_rollout'
import type FirmwareRelease from '#models/firmware_release'
import Machine from '#models/machine'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import { VendResult } from '#enums/vend_result'
import RolloutDispatcher from '#services/rollout_dispatcher'
import RolloutTicker from '#jobs/rollout_ticker'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import {
  createOnlineMachine,
  disconnectDevice,
  eventually,
  type TestDevice,
} from '#tests/helpers/device'
import { keepFirmwareClean } from '#tests/helpers/firmware'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { createShopper } from '#tests/helpers/shopper'
import {
  OtaListener,
  connectListening,
  pause,
  publishRelease,
  targetInState,
} from '#tests/helpers/rollouts'

/**
 * A timeout that makes every offer stale at the next tick: negative, since
 * SQLite keeps timestamps to the second.
 */
const STALE_AT_ONCE = -5000

const OLD = 'vendora-esp32-1.2.2'
const NEW = 'vendora-esp32-1.2.3'

/** The test server's address for a download URL (same path and query). */
function onTestServer(url: string): string {
  const { pathname, search } = new URL(url)
  return `http://${process.env.HOST}:${process.env.PORT}${pathname}${search}`
}

async function start(input: Partial<Parameters<StartRollout['handle']>[0]>) {
  const action = await app.container.make(StartRollout)
  return action.handle({ version: '1.2.3', actor: null, ...input })
}

async function tick() {
  await (await app.container.make(RolloutDispatcher)).tick()
}

async function setFirmware(machineId: number, firmware: string) {
  await Machine.query().where('id', machineId).update({ firmware_version: firmware })
}

test.group('Firmware rollouts: offering updates and following them', (group) => {
  let release: FirmwareRelease
  const opened: { device: TestDevice; machineId: number }[] = []
  const timings = { ...firmwareConfig.rollout }

  // The test server's own ticker would race the ticks the tests make.
  group.setup(async () => {
    const ticker = await app.container.make(RolloutTicker)
    await ticker.stop()
    return () => ticker.start()
  })
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)
  group.each.setup(async () => {
    release = await publishRelease('1.2.3', 20_000)
    return async () => {
      Object.assign(firmwareConfig.rollout, timings)
      for (const { device, machineId } of opened.splice(0)) {
        if (device.socket.connected) await disconnectDevice(device, machineId)
      }
    }
  })

  /** An online machine running the old firmware, with its device listening for `ota`. */
  async function onlineMachine(options: { quantity?: number } = {}) {
    const created = await createOnlineMachine(options)
    await setFirmware(created.machine.id, OLD)
    opened.push({ device: created.device, machineId: created.machine.id })
    return { ...created, ota: new OtaListener(created.device) }
  }

  test('sends nothing to an offline machine, and the update once it connects', async ({
    assert,
  }) => {
    const machine = await MachineFactory.merge({ firmwareVersion: OLD }).create()
    const rollout = await start({ machineCodes: [machine.code] })
    await tick()
    assert.equal(
      (await targetInState(rollout.id, machine.id, RolloutTargetState.Pending)).attempts,
      0
    )

    const { device, ota } = await connectListening(machine.code)
    opened.push({ device, machineId: machine.id })
    const offer = await ota.offer()
    assert.equal(offer.version, NEW)
    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)
    assert.equal(target.attempts, 1)
    assert.equal(target.versionBefore, OLD)
  })

  test('offers an idle online machine an ota whose URL downloads the image for it only', async ({
    assert,
  }) => {
    const { machine, ota } = await onlineMachine()
    const other = await MachineFactory.create()
    await start({ machineCodes: [machine.code] })

    const offer = await ota.offer()
    assert.deepEqual(
      { version: offer.version, size: offer.size, sha256: offer.sha256, signature: offer.signature },
      { version: NEW, size: 20_000, sha256: release.sha256, signature: release.signature }
    )
    const url = new URL(offer.url)
    assert.equal(url.pathname, `/firmware/${release.id}/image`)
    assert.equal(url.searchParams.get('machine'), String(machine.id))

    const image = await fetch(onTestServer(offer.url))
    assert.equal(image.status, 200)
    assert.equal(Buffer.from(await image.arrayBuffer()).length, 20_000)

    const stolen = offer.url.replace(`machine=${machine.id}`, `machine=${other.id}`)
    const refused = await fetch(onTestServer(stolen))
    assert.equal(refused.status, 403)
  })

  test('waits for a vend in flight to settle before offering', async ({ assert, client }) => {
    const { machine, product, device, ota } = await onlineMachine()
    const shopper = await createShopper({ balancePaise: 10_000 })
    await buyThroughApi(client, shopper.token, product, machine)
    const vend = await device.nextVend()

    const rollout = await start({ machineCodes: [machine.code] })
    await tick()
    await pause(100)
    assert.lengthOf(ota.offers, 0)
    assert.equal(
      (await targetInState(rollout.id, machine.id, RolloutTargetState.Pending)).attempts,
      0
    )

    await device.report(vend.command_id, VendResult.Dropped)
    const offer = await ota.offer()
    assert.equal(offer.version, NEW)
  })

  test('refuses buys while the machine installs its update, and takes them again after', async ({
    assert,
    client,
  }) => {
    const { machine, product, slot, device, ota } = await onlineMachine()
    const shopper = await createShopper({ balancePaise: 10_000 })
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()
    ota.progress({ version: NEW, state: 'downloading', percent: 10 })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Downloading)

    const refused = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(shopper.token)
      .json({ machine: machine.code })
    refused.assertStatus(409)
    assert.equal(refused.body().errors[0].code, 'machine_updating')
    assert.equal((await slot.refresh()).quantity, 5)
    assert.lengthOf(device.commands, 0)

    ota.progress({ version: NEW, state: 'failed', reason: 'download_failed' })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Failed)
    await buyThroughApi(client, shopper.token, product, machine)
    await device.nextVend()
  })

  test('offers nothing in the machine’s quiet hours, and the update once they end', async ({
    assert,
  }) => {
    const { machine, ota } = await onlineMachine()
    const minute = new Date().getUTCHours() * 60 + new Date().getUTCMinutes()
    const quiet = {
      max_motor_run_ms: 5000,
      beam_min_pulse_us: 3000,
      beam_ignore_ms: 150,
      telemetry_period_ms: 60000,
      quiet_start_min: (minute + 1440 - 5) % 1440,
      quiet_end_min: (minute + 5) % 1440,
    }
    machine.deviceSettings = quiet
    await machine.save()
    const rollout = await start({ machineCodes: [machine.code] })
    await tick()
    await pause(100)
    assert.lengthOf(ota.offers, 0)

    machine.deviceSettings = { ...quiet, quiet_start_min: 0, quiet_end_min: 0 }
    await machine.save()
    await tick()
    await ota.offer()
    await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)
  })

  test('follows progress to confirmed: the target and the machine’s firmware', async ({
    assert,
  }) => {
    const { machine, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()

    ota.progress({ version: NEW, state: 'downloading', percent: 0 })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Downloading)
    ota.progress({ version: NEW, state: 'downloading', percent: 40 })
    await eventually(async () => (await targetInState(rollout.id, machine.id, RolloutTargetState.Downloading)).percent === 40)
    // A stale frame, another version's frame: ignored.
    ota.progress({ version: NEW, state: 'downloading', percent: 20 })
    ota.progress({ version: 'vendora-esp32-9.9.9', state: 'failed', reason: 'bad_signature' })
    ota.progress({ version: NEW, state: 'verifying' })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Verifying)
    ota.progress({ version: NEW, state: 'downloading', percent: 90 })
    ota.progress({ version: NEW, state: 'rebooting' })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Rebooting)

    // The new image's first status, then its confirmation (PROTOCOL.md §13.1).
    ota.status(NEW)
    ota.progress({ version: NEW, state: 'confirmed' })
    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Confirmed)
    assert.equal(target.versionBefore, OLD)
    assert.equal(target.versionAfter, NEW)
    assert.isNotNull(target.finishedAt)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, NEW)

    const done = await eventually(async () => {
      const row = await FirmwareRollout.findOrFail(rollout.id)
      return row.status === RolloutStatus.Completed ? row : null
    })
    assert.isNotNull(done.finishedAt)
    const audit = await AuditLog.query()
      .where('subject_type', 'firmware_rollout')
      .where('subject_id', rollout.id)
      .orderBy('id')
    assert.deepEqual(
      audit.map((row) => row.action),
      ['firmware.rollout.start', 'firmware.rollout.target', 'firmware.rollout.complete']
    )
    assert.equal((audit[1].after as { state: string }).state, RolloutTargetState.Confirmed)
  })

  test('a status with the new firmware confirms an update whose confirmation was lost', async ({
    assert,
  }) => {
    const { machine, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()
    ota.progress({ version: NEW, state: 'rebooting' })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Rebooting)
    ota.status(NEW)
    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Confirmed)
    assert.equal(target.versionAfter, NEW)
  })

  test('counts already_installed as confirmed and a passing refusal as pending, offered again', async ({
    assert,
  }) => {
    const first = await onlineMachine()
    const rollout = await start({ machineCodes: [first.machine.code] })
    await first.ota.offer()
    first.ota.progress({ version: NEW, state: 'failed', reason: 'quiet_hours' })
    const pending = await targetInState(rollout.id, first.machine.id, RolloutTargetState.Pending)
    assert.equal(pending.reason, 'quiet_hours')
    // Not offered again at once: the device's clock said no.
    await tick()
    await pause(100)
    assert.lengthOf(first.ota.offers, 1)
    firmwareConfig.rollout.refusalRetryMs = STALE_AT_ONCE
    await tick()
    await first.ota.offer(2)
    first.ota.progress({ version: NEW, state: 'failed', reason: 'already_installed' })
    const target = await targetInState(rollout.id, first.machine.id, RolloutTargetState.Confirmed)
    assert.equal(target.attempts, 2)
    assert.equal(target.versionAfter, NEW)
  })

  test('halts at the failure threshold and never offers stage 1', async ({ assert }) => {
    const canary = await onlineMachine()
    const rest = await onlineMachine()
    const rollout = await start({ machineCodes: [canary.machine.code, rest.machine.code] })
    // Which one is the canary is drawn at random.
    const offered = await eventually(async () =>
      canary.ota.offers.length > 0 ? canary : rest.ota.offers.length > 0 ? rest : null
    )
    const other = offered === canary ? rest : canary

    offered.ota.progress({ version: NEW, state: 'downloading', percent: 0 })
    offered.ota.progress({ version: NEW, state: 'failed', reason: 'sha256_mismatch' })
    const failed = await targetInState(rollout.id, offered.machine.id, RolloutTargetState.Failed)
    assert.equal(failed.reason, 'sha256_mismatch')
    assert.equal(failed.versionAfter, OLD)

    const halted = await eventually(async () => {
      const row = await FirmwareRollout.findOrFail(rollout.id)
      return row.status === RolloutStatus.Halted ? row : null
    })
    assert.equal(halted.stage, 0)
    assert.include(halted.haltReason!, '1 of 1 machines in stage 0 failed')
    await tick()
    await pause(100)
    assert.lengthOf(other.ota.offers, 0)
    await targetInState(rollout.id, other.machine.id, RolloutTargetState.Pending)
  })

  test('a halted rollout resumed by its operator goes on to stage 1, halting at its first failure', async ({
    assert,
  }) => {
    const machines = [await onlineMachine(), await onlineMachine()]
    const rollout = await start({ machineCodes: machines.map((m) => m.machine.code) })
    const canary = await eventually(async () => machines.find((m) => m.ota.offers.length > 0))
    const rest = machines.find((m) => m !== canary)!
    canary.ota.progress({ version: NEW, state: 'failed', reason: 'flash_error' })
    const halted = await eventually(async () => {
      const row = await FirmwareRollout.findOrFail(rollout.id)
      return row.status === RolloutStatus.Halted ? row : null
    })

    const resumed = await (await app.container.make(ResumeRollout)).handle(halted, null)
    assert.equal(resumed.status, RolloutStatus.Running)
    const resume = await AuditLog.query().where('action', 'firmware.rollout.resume').firstOrFail()
    assert.equal((resume.after as { failures_accepted: number }).failures_accepted, 1)
    assert.isNull(resumed.haltReason)
    await rest.ota.offer()
    const inStage1 = await FirmwareRollout.findOrFail(rollout.id)
    assert.equal(inStage1.stage, 1)
    assert.equal(inStage1.failuresAccepted, 0)
    assert.lengthOf(canary.ota.offers, 1)

    rest.ota.progress({ version: NEW, state: 'rolled_back', reason: 'boot_failed' })
    const again = await eventually(async () => {
      const row = await FirmwareRollout.findOrFail(rollout.id)
      return row.status === RolloutStatus.Halted ? row : null
    })
    assert.include(again.haltReason!, 'stage 1')
  })

  test('offers the canary first, then the rest once it confirmed', async ({ assert }) => {
    const machines = [await onlineMachine(), await onlineMachine(), await onlineMachine()]
    const rollout = await start({ machineCodes: machines.map((m) => m.machine.code) })
    const canary = await eventually(async () => machines.find((m) => m.ota.offers.length > 0))
    await pause(100)
    assert.equal(machines.filter((m) => m.ota.offers.length > 0).length, 1)

    canary.ota.status(NEW)
    canary.ota.progress({ version: NEW, state: 'confirmed' })
    for (const m of machines.filter((each) => each !== canary)) await m.ota.offer()
    const row = await FirmwareRollout.findOrFail(rollout.id)
    assert.equal(row.stage, 1)
    assert.equal(row.status, RolloutStatus.Running)
  })

  test('pausing stops new offers, resuming goes on, cancelling cancels what was not offered', async ({
    assert,
  }) => {
    const machines = [await onlineMachine(), await onlineMachine(), await onlineMachine()]
    const rollout = await start({
      machineCodes: machines.map((m) => m.machine.code),
      canaryCount: 1,
    })
    const canary = await eventually(async () => machines.find((m) => m.ota.offers.length > 0))
    const paused = await (await app.container.make(PauseRollout)).handle(rollout, null)
    assert.equal(paused.status, RolloutStatus.Paused)

    // In flight while paused: it finishes, but stage 1 waits.
    canary.ota.status(NEW)
    canary.ota.progress({ version: NEW, state: 'confirmed' })
    await targetInState(rollout.id, canary.machine.id, RolloutTargetState.Confirmed)
    await tick()
    await pause(100)
    const others = machines.filter((m) => m !== canary)
    assert.deepEqual(
      others.map((m) => m.ota.offers.length),
      [0, 0]
    )

    await (await app.container.make(ResumeRollout)).handle(paused, null)
    for (const m of others) await m.ota.offer()
    others[0].ota.progress({ version: NEW, state: 'downloading', percent: 10 })
    await targetInState(rollout.id, others[0].machine.id, RolloutTargetState.Downloading)
    // The other's offer goes unanswered and times out back to pending.
    firmwareConfig.rollout.offerTimeoutMs = STALE_AT_ONCE
    const dispatcher = await app.container.make(RolloutDispatcher)
    const pauseAction = await app.container.make(PauseRollout)
    await pauseAction.handle(await FirmwareRollout.findOrFail(rollout.id), null)
    await dispatcher.tick()
    await targetInState(rollout.id, others[1].machine.id, RolloutTargetState.Pending)

    const cancelled = await (await app.container.make(CancelRollout)).handle(
      await FirmwareRollout.findOrFail(rollout.id),
      null
    )
    assert.equal(cancelled.status, RolloutStatus.Cancelled)
    await targetInState(rollout.id, others[1].machine.id, RolloutTargetState.Cancelled)
    // The download on its way still finishes and is recorded.
    others[0].ota.progress({ version: NEW, state: 'failed', reason: 'download_failed' })
    const failed = await targetInState(rollout.id, others[0].machine.id, RolloutTargetState.Failed)
    assert.equal(failed.reason, 'download_failed')
    assert.equal((await FirmwareRollout.findOrFail(rollout.id)).status, RolloutStatus.Cancelled)
  })

  test('an offer of a cancelled rollout that goes unanswered or is refused ends cancelled', async ({
    assert,
  }) => {
    const first = await onlineMachine()
    const second = await onlineMachine()
    const rollout = await start({
      machineCodes: [first.machine.code, second.machine.code],
      canaryCount: 2,
    })
    await first.ota.offer()
    await second.ota.offer()
    await (await app.container.make(CancelRollout)).handle(rollout, null)

    first.ota.progress({ version: NEW, state: 'failed', reason: 'vend_in_progress' })
    const refused = await targetInState(rollout.id, first.machine.id, RolloutTargetState.Cancelled)
    assert.equal(refused.reason, 'vend_in_progress')
    firmwareConfig.rollout.offerTimeoutMs = STALE_AT_ONCE
    await tick()
    await targetInState(rollout.id, second.machine.id, RolloutTargetState.Cancelled)
    assert.lengthOf(first.ota.offers, 1)
    assert.lengthOf(second.ota.offers, 1)
  })

  test('offers an unanswered update again, then fails it no_answer', async ({ assert }) => {
    const { machine, ota } = await onlineMachine()
    firmwareConfig.rollout.maxAttempts = 2
    const rollout = await start({ machineCodes: [machine.code] })
    const first = await ota.offer()
    firmwareConfig.rollout.offerTimeoutMs = STALE_AT_ONCE
    await tick()
    const second = await ota.offer(2)
    assert.equal(second.version, first.version)
    assert.equal((await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)).attempts, 2)

    await tick()
    const failed = await targetInState(rollout.id, machine.id, RolloutTargetState.Failed)
    assert.equal(failed.reason, 'no_answer')
    assert.equal(failed.attempts, 2)
    assert.lengthOf(ota.offers, 2)
    assert.equal((await FirmwareRollout.findOrFail(rollout.id)).status, RolloutStatus.Halted)
  })

  test('fails an update still rebooting after the confirmation timeout: not_confirmed', async ({
    assert,
  }) => {
    const { machine, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code], failureThreshold: 2 })
    await ota.offer()
    ota.progress({ version: NEW, state: 'rebooting' })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Rebooting)
    firmwareConfig.rollout.confirmTimeoutMs = STALE_AT_ONCE
    await tick()
    const failed = await targetInState(rollout.id, machine.id, RolloutTargetState.Failed)
    assert.equal(failed.reason, 'not_confirmed')
    assert.equal(failed.versionAfter, OLD)
    // Below the threshold of 2 and nothing left: completed.
    assert.equal((await FirmwareRollout.findOrFail(rollout.id)).status, RolloutStatus.Completed)
  })

  test('ignores a malformed ota_progress, noting it in the monitor', async ({ assert }) => {
    const { machine, device, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()
    device.socket.emit('ota_progress', { version: NEW, state: 'exploded' })
    device.socket.emit('ota_progress', { version: NEW, state: 'downloading', percent: 250 })
    device.socket.emit('ota_progress', 'downloading')
    const noted = await eventually(async () => {
      const rows = await DeviceEvent.query()
        .where('machine_id', machine.id)
        .where('event', 'ota_progress')
      return rows.length === 3 ? rows : null
    })
    for (const row of noted) assert.deepEqual(row.payload, { error: 'invalid_payload' })
    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)
    assert.isNull(target.percent)
  })

  test('offers a download that stopped making progress again (stalled)', async ({ assert }) => {
    const { machine, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()
    ota.progress({ version: NEW, state: 'downloading', percent: 30 })
    await targetInState(rollout.id, machine.id, RolloutTargetState.Downloading)
    await tick()
    assert.lengthOf(ota.offers, 1)

    firmwareConfig.rollout.stallTimeoutMs = STALE_AT_ONCE
    await tick()
    await ota.offer(2)
    const again = await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)
    assert.equal(again.attempts, 2)
    // The device answers a repeated ota with where it stands.
    ota.progress({ version: NEW, state: 'downloading', percent: 40 })
    const resumed = await targetInState(rollout.id, machine.id, RolloutTargetState.Downloading)
    assert.equal(resumed.percent, 40)
  })

  test('a machine that reconnects mid-rollout is offered again after its offer expired', async ({
    assert,
  }) => {
    const { machine, device, ota } = await onlineMachine()
    const rollout = await start({ machineCodes: [machine.code] })
    await ota.offer()
    await disconnectDevice(device, machine.id)
    firmwareConfig.rollout.offerTimeoutMs = STALE_AT_ONCE
    await tick()
    await targetInState(rollout.id, machine.id, RolloutTargetState.Pending)
    firmwareConfig.rollout.offerTimeoutMs = timings.offerTimeoutMs

    const { device: again, ota: listener } = await connectListening(machine.code)
    opened.push({ device: again, machineId: machine.id })
    // Its hello brings the offer, no tick needed.
    await listener.offer()
    assert.equal(
      (await targetInState(rollout.id, machine.id, RolloutTargetState.Sent)).attempts,
      2
    )
  })
})
