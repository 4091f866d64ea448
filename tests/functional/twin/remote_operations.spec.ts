import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import AuditLog from '#models/audit_log'
import DeviceEvent from '#models/device_event'
import Machine from '#models/machine'
import type User from '#models/user'
import RemoteOperations from '#services/remote_operations'
import { ServerToDeviceEvent } from '#services/device_protocol'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { createMachine, eventually, waitUntilOnline } from '#tests/helpers/device'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import { baseUrl } from '#tests/helpers/server'
import { Twin, closeTwin, requireTwin } from '#tests/helpers/twin'

function line(text: string) {
  return new RegExp(`^${text}$`)
}

/** The sketch's defaults (config.h), what a fresh board runs. */
const DEFAULTS = {
  max_motor_run_ms: 5000,
  beam_min_pulse_us: 3000,
  beam_ignore_ms: 150,
  telemetry_period_ms: 60_000,
  quiet_start_min: 0,
  quiet_end_min: 0,
}

/**
 * Posts a Device-card form of the machine's page as an admin.
 */
function post(
  client: ApiClient,
  admin: User,
  machineId: number,
  operation: 'settings' | 'logs' | 'reboot',
  form: Record<string, string> = {}
) {
  return client
    .post(`/admin/machines/${machineId}/device/${operation}`)
    .withGuard('web')
    .loginAs(admin)
    .header('referer', `http://localhost/admin/machines/${machineId}`)
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

/**
 * Resolves with the machine once `check` holds for it.
 */
function machineWhen(machineId: number, check: (machine: Machine) => boolean, timeoutMs = 10_000) {
  return eventually(async () => {
    const machine = await Machine.findOrFail(machineId)
    return check(machine) ? machine : null
  }, timeoutMs)
}

/**
 * A machine with the firmware twin connected and online, and an admin.
 */
async function twinMachine(cleanup: (handler: () => Promise<void>) => void, noDrop = false) {
  const admin = await UserFactory.apply('admin').create()
  const created = await createMachine({ quantity: 5 })
  const twin = Twin.start({
    server: baseUrl(),
    machine: created.machine.code,
    key: created.key,
    noDrop,
  })
  cleanup(() => closeTwin(twin, created.machine.id))
  await twin.waitFor(line('JOINED'), 15_000)
  await waitUntilOnline(created.machine.id)
  return { ...created, twin, admin }
}

/**
 * The remote operations of firmware/PROTOCOL.md §13.2–13.3 from the panel
 * to the firmware twin (the real sketch and core over the real library)
 * and back.
 */
test.group('Firmware twin: remote operations', (group) => {
  requireTwin(group)
  group.each.setup(truncateAll)

  test('settings pushed from the panel are applied and reported back; they survive a reboot, which comes back as a software reset', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, twin, admin } = await twinMachine(cleanup)

    const pushed = await post(client, admin, machine.id, 'settings', {
      max_motor_run_ms: '4000',
      beam_ignore_ms: '200',
      telemetry_period_ms: '120000',
      quiet_start_min: '22:00',
      quiet_end_min: '05:00',
    })
    pushed.assertStatus(302)
    const applied = {
      ...DEFAULTS,
      max_motor_run_ms: 4000,
      beam_ignore_ms: 200,
      telemetry_period_ms: 120_000,
      quiet_start_min: 1320,
      quiet_end_min: 300,
    }
    const configured = await machineWhen(machine.id, (current) => current.deviceSettings !== null)
    assert.deepEqual(configured.deviceSettings, applied)
    const answer = await DeviceEvent.query()
      .where('machine_id', machine.id)
      .where('event', 'config_applied')
      .firstOrFail()
    assert.deepEqual(answer.payload, { settings: applied, rejected: [] })

    const rebooted = await post(client, admin, machine.id, 'reboot')
    rebooted.assertStatus(302)
    await twin.waitFor(line('REBOOT software'))
    await twin.waitFor(line('BOOT \\S+ software'))
    await twin.waitFor(line('JOINED'), 15_000, 2)
    const ack = await DeviceEvent.query()
      .where('machine_id', machine.id)
      .where('event', 'reboot_ack')
      .firstOrFail()
    assert.deepEqual(ack.payload, { ok: true })
    assert.deepEqual(
      (await AuditLog.query().where('subject_id', machine.id).orderBy('id')).map(
        (row) => row.action
      ),
      ['machine.device_settings_push', 'machine.device_reboot']
    )
    // Its first status after the restart names the reason.
    await machineWhen(machine.id, (current) => current.telemetry?.reset_reason === 'software')

    // Read back after the restart: the settings came from its flash.
    await Machine.query().where('id', machine.id).update({ device_settings: null })
    await waitUntilOnline(machine.id)
    const read = await post(client, admin, machine.id, 'settings')
    read.assertStatus(302)
    const after = await machineWhen(machine.id, (current) => current.deviceSettings !== null)
    assert.deepEqual(after.deviceSettings, applied)
  }).timeout(60_000)

  test('the device refuses out-of-range and non-integer fields, applies the rest and reports them', async ({
    assert,
    cleanup,
  }) => {
    const { machine } = await twinMachine(cleanup)

    // The panel refuses such input itself; the device checks on its own.
    const operations = await app.container.make(RemoteOperations)
    await operations.send(machine.id, ServerToDeviceEvent.Config, {
      max_motor_run_ms: 60_000,
      beam_min_pulse_us: 'fast',
      quiet_start_min: 720,
      quiet_end_min: 840,
    })

    const stored = await machineWhen(machine.id, (current) => current.deviceSettings !== null)
    assert.deepEqual(stored.deviceSettings, {
      ...DEFAULTS,
      quiet_start_min: 720,
      quiet_end_min: 840,
    })
    const answer = await DeviceEvent.query()
      .where('machine_id', machine.id)
      .where('event', 'config_applied')
      .firstOrFail()
    assert.deepEqual(answer.payload?.rejected, [
      { field: 'max_motor_run_ms', reason: 'out_of_range' },
      { field: 'beam_min_pulse_us', reason: 'not_an_integer' },
    ])
  }).timeout(45_000)

  test('log lines pulled from the panel are the twin’s own console lines', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, twin, admin } = await twinMachine(cleanup)

    const response = await post(client, admin, machine.id, 'logs', { count: '5' })
    response.assertStatus(302)
    const stored = await machineWhen(machine.id, (current) => current.deviceLogs !== null)
    const { lines, dropped } = stored.deviceLogs!
    assert.isAtLeast(lines.length, 1)
    assert.isAtMost(lines.length, 5)
    assert.equal(dropped, 0)
    for (const entry of lines) {
      assert.match(entry, /^\d+ \S/)
      // Each is a line the board printed on its serial console (`# ...`).
      assert.include(twin.console, entry.replace(/^\d+ /, ''))
    }

    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertTextIncludes('id="device-logs"')
    assert.include(page.text(), lines[lines.length - 1].replace(/</g, '&lt;'))
  }).timeout(45_000)

  test('a reboot reaching the device while its motor turns is refused by the device: vend_in_progress, recorded and shown', async ({
    client,
    assert,
    cleanup,
  }) => {
    // Nothing falls: the motor runs its full 5 s, the window for the reboot.
    const { machine, product, twin, admin } = await twinMachine(cleanup, true)
    const { token } = await createShopper({ balancePaise: 10_000 })
    const bought = await buyThroughApi(client, token, product, machine)
    await twin.waitFor(line(`MOTOR 1 ON ${bought.command_id}`))

    // The panel refuses while the vend is in flight...
    const refused = await post(client, admin, machine.id, 'reboot')
    refused.assertFlashMessage('errorCode', 'vend_in_flight')
    // ...and a reboot that got past that check (sent just before the buy)
    // is refused by the device itself.
    const operations = await app.container.make(RemoteOperations)
    await operations.send(machine.id, ServerToDeviceEvent.Reboot, {})

    // The twin answers within milliseconds; the wait allows a machine busy
    // with parallel test workers (5 s was once too short under CI).
    const ack = await eventually(
      () =>
        DeviceEvent.query().where('machine_id', machine.id).where('event', 'reboot_ack').first(),
      15_000
    )
    assert.deepEqual(ack.payload, { ok: false, reason: 'vend_in_progress' })
    const page = await client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
    page.assertTextIncludes('<span class="badge failed">refused</span> vend_in_progress')
    assert.deepEqual(twin.matching(/^REBOOT/), [])
    await twin.waitFor(line(`RESULT ${bought.command_id} no_drop`), 15_000)
  }).timeout(45_000)
})
