import { test } from '@japa/runner'
import type { TestContext } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import StartRollout from '#actions/firmware/start_rollout'
import { RolloutTargetState } from '#enums/rollout_target_state'
import { deviceFirmwareVersion } from '#services/device_protocol'
import FirmwareSigner from '#services/firmware_signer'
import MachineSimulator from '#services/machine_simulator'
import Machine from '#models/machine'
import { truncateAll } from '#tests/helpers/database'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import {
  firmwareImage,
  keepFirmwareClean,
  publishImage,
  useSigningKey,
} from '#tests/helpers/firmware'
import { targetInState } from '#tests/helpers/rollouts'
import { baseUrl } from '#tests/helpers/server'

const NEW = deviceFirmwareVersion('2.0.0')

/**
 * A release signed with a fresh key (swapped into the container until the
 * test ends), a machine, and its simulator online carrying the public key
 * `releasePublicKey` (default: the release key's), running `simulator-1.0`.
 */
async function simulatedMachineWithRelease(
  cleanup: TestContext['cleanup'],
  releasePublicKey?: string | null
) {
  const signing = useSigningKey()
  cleanup(signing.restore)
  await publishImage('2.0.0', firmwareImage(16 * 1024))
  const { machine, key } = await createMachine()
  const lines: string[] = []
  const simulator = new MachineSimulator({
    url: baseUrl(),
    machine: machine.code,
    key,
    restartMs: 100,
    releasePublicKey: releasePublicKey === undefined ? signing.publicKeyPem : releasePublicKey,
    log: (line) => lines.push(line),
  })
  closeAfter(cleanup)(simulator)
  await simulator.connect()
  await waitUntilOnline(machine.id)
  await eventually(
    async () => (await Machine.findOrFail(machine.id)).firmwareVersion === 'simulator-1.0'
  )
  const start = await app.container.make(StartRollout)
  const rollout = await start.handle({
    version: '2.0.0',
    machineCodes: [machine.code],
    actor: null,
  })
  return { machine, simulator, rollout, lines }
}

/**
 * The demo's simulated machine answers firmware rollouts as the sketch
 * does (firmware/PROTOCOL.md §13.1), so a rollout to demo machines ends:
 * a signed image is downloaded, checked and "installed", anything else is
 * refused with the firmware's reason and the old version keeps running.
 */
test.group('Machine simulator / firmware updates', (group) => {
  group.each.setup(truncateAll)
  group.each.setup(() => keepFirmwareClean())
  group.each.timeout(60_000)

  test('installs a signed release offered by a rollout, restarts into it and confirms it', async ({
    assert,
    cleanup,
  }) => {
    const { machine, simulator, rollout, lines } = await simulatedMachineWithRelease(cleanup)

    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Confirmed, 30_000)

    assert.equal(target.versionBefore, 'simulator-1.0')
    assert.equal(target.versionAfter, NEW)
    assert.equal(simulator.firmware, NEW)
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, NEW)
    assert.isTrue(simulator.connected)
    assert.includeMembers(
      lines.map((line) => line.replace(/^\[[^\]]+\] /, '')),
      [`installing firmware ${NEW}`, `restarting into firmware ${NEW}`, `firmware ${NEW} confirmed`]
    )
  })

  test('an image signed by another key fails bad_signature and the old version keeps running', async ({
    assert,
    cleanup,
  }) => {
    const otherKey = FirmwareSigner.generate().publicKeyPem
    const { machine, simulator, rollout } = await simulatedMachineWithRelease(cleanup, otherKey)

    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Failed, 30_000)

    assert.equal(target.reason, 'bad_signature')
    assert.equal(simulator.firmware, 'simulator-1.0')
    assert.equal((await Machine.findOrFail(machine.id)).firmwareVersion, 'simulator-1.0')
  })

  test('without a release key every update is refused not_supported', async ({
    assert,
    cleanup,
  }) => {
    const { machine, simulator, rollout } = await simulatedMachineWithRelease(cleanup, null)

    const target = await targetInState(rollout.id, machine.id, RolloutTargetState.Failed, 30_000)

    assert.equal(target.reason, 'not_supported')
    assert.equal(simulator.firmware, 'simulator-1.0')
  })
})
