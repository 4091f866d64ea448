import { readFile, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import { OrderStatus } from '#enums/order_status'
import FirmwareReleases from '#services/firmware_releases'
import { deviceFirmwareVersion } from '#services/device_protocol'
import FirmwareRollout from '#models/firmware_rollout'
import Machine from '#models/machine'
import Order from '#models/order'
import StartRollout from '#actions/firmware/start_rollout'
import { truncateAll } from '#tests/helpers/database'
import { eventually } from '#tests/helpers/device'
import { keepFirmwareClean, publishImage } from '#tests/helpers/firmware'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { startProcess } from '#tests/helpers/processes'
import { rolloutInStatus, targetInState } from '#tests/helpers/rollouts'
import { createShopper } from '#tests/helpers/shopper'
import {
  TWIN_RUNNING_FIRMWARE,
  firmwareBecomes,
  requireTwin,
  startOnlineTwin,
  twinImage,
} from '#tests/helpers/twin'

const NEW = deviceFirmwareVersion('1.2.3')

/** Starts a rollout of `version` to one machine, as the panel does. */
async function rollOut(version: string, machineCode: string) {
  const start = await app.container.make(StartRollout)
  return start.handle({ version, machineCodes: [machineCode], actor: null })
}

/**
 * Firmware rollouts end to end: the server's rollout engine (dispatcher,
 * `ota_progress` handling, stage halts) driving the firmware twin, which
 * downloads, checks and installs the image through the sketch's real OTA
 * code (firmware_update.spec.ts covers the device side alone).
 */
test.group('Firmware twin / rollouts', (group) => {
  requireTwin(group)
  group.each.setup(truncateAll)
  group.each.setup(() => keepFirmwareClean())
  group.each.timeout(90_000)

  test('node ace firmware:rollout --wait updates the twin, prints it confirmed on the new version and exits 0', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    await publishImage('1.2.3', twinImage(NEW))

    // The command only writes the rollout; this process's server offers it.
    const command = startProcess(
      'node',
      ['ace', 'firmware:rollout', '1.2.3', '--machines', machine.code, '--wait', '--timeout', '60'],
      { LOG_LEVEL: 'warn' }
    )
    const code = await command.exited

    assert.equal(code, 0, `${command.output}\n${twin.describe()}`)
    assert.include(
      command.output.split('\n').map((line) => line.trim()),
      `${machine.code} confirmed ${NEW}`
    )
    assert.lengthOf(twin.matching(/^BOOT vendora-esp32-1\.2\.3 software$/), 1)
    await firmwareBecomes(machine.id, NEW)
    const rollout = await FirmwareRollout.query().preload('targets').firstOrFail()
    assert.equal(rollout.status, RolloutStatus.Completed)
    assert.containsSubset(rollout.targets[0].serialize(), {
      state: RolloutTargetState.Confirmed,
      versionBefore: TWIN_RUNNING_FIRMWARE,
      versionAfter: NEW,
    })
  })

  test('a corrupted image is refused by the device: the target fails sha256_mismatch, the rollout halts, the old version runs', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup)
    const release = await publishImage('1.2.3', twinImage(NEW))
    const path = FirmwareReleases.pathOf(release.fileName)!
    const bytes = await readFile(path)
    bytes[bytes.length >> 1] ^= 0xff
    await writeFile(path, bytes)

    const rollout = await rollOut('1.2.3', machine.code)

    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Failed, 30_000)
    assert.equal(target.reason, 'sha256_mismatch')
    assert.equal(target.versionAfter, TWIN_RUNNING_FIRMWARE)
    assert.equal(
      (await rolloutInStatus(rollout.id, RolloutStatus.Halted)).status,
      RolloutStatus.Halted
    )
    assert.lengthOf(twin.matching(/^OTA (rebooting|confirmed)/), 0)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, TWIN_RUNNING_FIRMWARE)
  })

  test('an image that cannot rejoin the server is rolled back by the twin and recorded rolled_back', async ({
    assert,
    cleanup,
  }) => {
    const { twin, machine } = await startOnlineTwin(cleanup, { otaConfirmDeadlineMs: 3000 })
    await publishImage('1.2.3', twinImage(NEW, { flags: ['no-rejoin'] }))

    const rollout = await rollOut('1.2.3', machine.code)

    const target = await targetInState(
      rollout.id,
      machine.id,
      RolloutTargetState.RolledBack,
      45_000
    )
    assert.equal(target.reason, 'not_confirmed')
    assert.equal(target.versionAfter, TWIN_RUNNING_FIRMWARE)
    assert.lengthOf(twin.matching(/^BOOT vendora-esp32-1\.2\.3 software$/), 1)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, TWIN_RUNNING_FIRMWARE)
    assert.equal(
      (await rolloutInStatus(rollout.id, RolloutStatus.Halted)).status,
      RolloutStatus.Halted
    )
  })

  test('the update is not offered while a vend is in flight, and goes out once it settled', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { twin, machine, product } = await startOnlineTwin(cleanup, { noDrop: true })
    await publishImage('1.2.3', twinImage(NEW))
    const { token } = await createShopper({ balancePaise: 10_000 })

    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(new RegExp(`^MOTOR 1 ON ${bought.command_id}$`))
    const rollout = await rollOut('1.2.3', machine.code)

    // The vend ends no_drop (refunded); only then may the offer go out.
    await twin.waitFor(new RegExp(`^RESULT ${bought.command_id} no_drop$`), 15_000)
    await targetInState(rollout.id, machine.id, RolloutTargetState.Confirmed, 45_000)
    await firmwareBecomes(machine.id, NEW)

    const order = await Order.findOrFail(bought.id)
    assert.include([OrderStatus.Failed, OrderStatus.Refunded], order.status)
    const resultAt = twin.events.indexOf(`RESULT ${bought.command_id} no_drop`)
    const firstOta = twin.events.findIndex((line) => line.startsWith('OTA '))
    assert.isAbove(firstOta, resultAt, twin.describe())
    assert.lengthOf(twin.matching(/^OTA failed vend_in_progress$/), 0)
    const offers = await db
      .from('device_events')
      .where('machine_id', machine.id)
      .where('event', 'ota')
      .count('* as n')
    assert.isAtLeast(Number(offers[0].n), 1)
    await eventually(
      async () => (await Order.findOrFail(bought.id)).status !== OrderStatus.Dispensing
    )
  })
})
