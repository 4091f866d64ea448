import { test } from '@japa/runner'
import Machine from '#models/machine'
import FirmwareRollout from '#models/firmware_rollout'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { disconnectDevice, type TestDevice } from '#tests/helpers/device'
import { keepFirmwareClean } from '#tests/helpers/firmware'
import { startProcess } from '#tests/helpers/processes'
import { connectListening, publishRelease } from '#tests/helpers/rollouts'

const OLD = 'vendora-esp32-1.2.2'
const NEW = 'vendora-esp32-1.2.3'

/**
 * Runs the real `node ace firmware:rollout <args>` in a child process (same
 * database), while this process's test server dispatches: the command
 * only writes the rollout, and the server's ticker finds it.
 */
async function rolloutCommand(args: string[]) {
  const child = startProcess('node', ['ace', 'firmware:rollout', ...args], { LOG_LEVEL: 'warn' })
  const code = await child.exited
  return { code, output: child.output }
}

/** The `<machine> <state> <firmware>` lines of the command's output. */
function machineLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^m-\S+ \S+ \S+$/.test(line))
    .sort()
}

test.group('Firmware rollouts: node ace firmware:rollout', (group) => {
  const opened: { device: TestDevice; machineId: number }[] = []
  group.each.setup(truncateAll)
  group.each.setup(keepFirmwareClean)
  group.each.setup(async () => {
    await publishRelease('1.2.3')
    return async () => {
      for (const each of opened.splice(0)) {
        if (each.device.socket.connected) await disconnectDevice(each.device, each.machineId)
      }
    }
  })
  // Each `node ace firmware:rollout` boots the app through the TypeScript
  // loader (seconds of CPU); one test runs four, and a busy machine (parallel
  // test workers) stretched that past a minute.
  group.each.timeout(150_000)

  async function updatableMachine() {
    const machine = await MachineFactory.merge({ firmwareVersion: OLD }).create()
    const connected = await connectListening(machine.code)
    opened.push({ device: connected.device, machineId: machine.id })
    return { machine, ...connected }
  }

  test('--wait prints each machine confirmed on the new firmware and exits 0', async ({
    assert,
  }) => {
    const first = await updatableMachine()
    const second = await updatableMachine()
    first.ota.answerWith('confirmed')
    second.ota.answerWith('confirmed')

    const run = await rolloutCommand([
      '1.2.3',
      '--machines',
      `${first.machine.code},${second.machine.code}`,
      '--wait',
      '--timeout',
      '40',
    ])
    assert.equal(run.code, 0, run.output)
    assert.deepEqual(
      machineLines(run.output),
      [`${first.machine.code} confirmed ${NEW}`, `${second.machine.code} confirmed ${NEW}`].sort()
    )
    const rollout = await FirmwareRollout.firstOrFail()
    assert.equal(rollout.status, 'completed')
    assert.isNull(rollout.createdBy)
    assert.equal((await Machine.findOrFail(first.machine.id)).firmwareVersion, NEW)
  })

  test('--wait exits 1 when the canary fails and the rollout halts', async ({ assert }) => {
    const first = await updatableMachine()
    const second = await updatableMachine()
    first.ota.answerWith({ failed: 'bad_signature' })
    second.ota.answerWith({ failed: 'bad_signature' })

    const run = await rolloutCommand([
      '1.2.3',
      '--machines',
      `${first.machine.code},${second.machine.code}`,
      '--wait',
      '--timeout',
      '40',
    ])
    assert.equal(run.code, 1, run.output)
    const lines = machineLines(run.output)
    assert.lengthOf(lines, 2)
    assert.sameMembers(
      lines.map((line) => line.split(' ').slice(1).join(' ')),
      [`failed ${OLD}`, `pending ${OLD}`]
    )
    assert.include(run.output, 'halted')
    assert.equal((await FirmwareRollout.firstOrFail()).status, 'halted')
  })

  test('exits 1 on a timeout, and on a refusal with its message', async ({ assert }) => {
    const offline = await MachineFactory.merge({ firmwareVersion: OLD }).create()
    const waited = await rolloutCommand(['1.2.3', '--machines', offline.code, '--wait', '--timeout', '1'])
    assert.equal(waited.code, 1, waited.output)
    assert.deepEqual(machineLines(waited.output), [`${offline.code} pending ${OLD}`])
    assert.include(waited.output, 'Timed out')

    const unknown = await rolloutCommand(['9.9.9', '--tag', 'x'])
    assert.equal(unknown.code, 1)
    assert.include(unknown.output, '(unknown_release)')

    const both = await rolloutCommand(['1.2.3', '--tag', 'x', '--percent', '10'])
    assert.equal(both.code, 1)
    assert.include(both.output, '(invalid_selector)')

    const held = await rolloutCommand(['1.2.3', '--machines', offline.code])
    assert.equal(held.code, 1)
    assert.include(held.output, '(machine_in_rollout)')
    assert.lengthOf(await FirmwareRollout.all(), 1)
  })
})
