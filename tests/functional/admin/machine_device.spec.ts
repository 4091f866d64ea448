import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import { MachineStatus } from '#enums/machine_status'
import { OrderStatus } from '#enums/order_status'
import AuditLog from '#models/audit_log'
import DeviceEvent from '#models/device_event'
import Machine from '#models/machine'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { MachineFactory } from '#database/factories/machine_factory'
import { OrderFactory } from '#database/factories/order_factory'
import { DeviceToServerEvent, ServerToDeviceEvent } from '#services/device_protocol'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  createOnlineMachine,
  disconnectDevice,
  eventually,
  type TestDevice,
} from '#tests/helpers/device'

function createAdmin() {
  return UserFactory.apply('admin').merge({ email: 'ops@example.com' }).create()
}

/** A remote-operation command as the device received it. */
type Command = [event: string, payload: Record<string, unknown>]

/**
 * Records the remote-operation commands (`config`, `reboot`, `logs`) a
 * test device receives, in arrival order.
 */
function remoteCommands(device: TestDevice) {
  const received: Command[] = []
  for (const event of [
    ServerToDeviceEvent.Config,
    ServerToDeviceEvent.Reboot,
    ServerToDeviceEvent.Logs,
  ]) {
    device.socket.on(event, (payload: Record<string, unknown>) => received.push([event, payload]))
  }
  return {
    received,
    /** Resolves with the `count`-th command (1 = the first). */
    nth: (count: number) => eventually(async () => received[count - 1], 5000),
  }
}

/**
 * Posts a Device-card form of the machine's page as `user`, as the
 * browser does (CSRF field, coming from the machine's page).
 */
function post(
  client: ApiClient,
  user: User,
  machine: Machine,
  operation: 'settings' | 'logs' | 'reboot',
  form: Record<string, string> = {}
) {
  return client
    .post(`/admin/machines/${machine.id}/device/${operation}`)
    .withGuard('web')
    .loginAs(user)
    .header('referer', `http://localhost/admin/machines/${machine.id}`)
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

async function auditActions(machineId: number) {
  return (
    await AuditLog.query()
      .where('subject_type', 'machine')
      .where('subject_id', machineId)
      .orderBy('id')
  ).map((row) => row.action)
}

function machinePage(client: ApiClient, admin: User, machine: Machine) {
  return client.get(`/admin/machines/${machine.id}`).withGuard('web').loginAs(admin)
}

const RUNNING = {
  max_motor_run_ms: 4000,
  beam_min_pulse_us: 2500,
  beam_ignore_ms: 200,
  telemetry_period_ms: 120_000,
  quiet_start_min: 1320,
  quiet_end_min: 300,
}

test.group('Machine device: settings', (group) => {
  group.each.setup(truncateAll)

  test('pushes the settings as config, audits it, and stores and shows what the device reports running', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    const response = await post(client, admin, machine, 'settings', {
      max_motor_run_ms: '4000',
      beam_min_pulse_us: '',
      beam_ignore_ms: '200',
      telemetry_period_ms: '120000',
      quiet_start_min: '22:00',
      quiet_end_min: '05:00',
    })
    response.assertStatus(302)
    response.assertHeader('location', `/admin/machines/${machine.id}#device`)
    response.assertFlashMessage(
      'notice',
      `Settings sent to ${machine.code}. The values it runs show below once it answers.`
    )

    // Blank fields are left out: the device keeps what it runs.
    assert.deepEqual(await commands.nth(1), [
      'config',
      {
        max_motor_run_ms: 4000,
        beam_ignore_ms: 200,
        telemetry_period_ms: 120_000,
        quiet_start_min: 1320,
        quiet_end_min: 300,
      },
    ])
    const audit = await AuditLog.query()
      .where('action', 'machine.device_settings_push')
      .firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.subjectId, machine.id)
    assert.deepEqual(audit.after, {
      max_motor_run_ms: 4000,
      beam_ignore_ms: 200,
      telemetry_period_ms: 120_000,
      quiet_start_min: 1320,
      quiet_end_min: 300,
    })

    // Until the device answers, the page says so.
    const waiting = await machinePage(client, admin, machine)
    waiting.assertTextIncludes('id="device-settings-pending"')
    waiting.assertTextIncludes('Not reported yet')

    device.socket.emit(DeviceToServerEvent.ConfigApplied, { settings: RUNNING, rejected: [] })
    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.deviceSettings ? current : null
    })
    assert.deepEqual(stored.deviceSettings, RUNNING)
    assert.isNotNull(stored.deviceSettingsAt)

    const page = await eventually(async () => {
      const html = (await machinePage(client, admin, machine)).text()
      return html.includes('id="device-settings-pending"') ? null : html
    })
    assert.include(page, '<td data-setting="max_motor_run_ms">4000 ms</td>')
    assert.include(page, '<td data-setting="beam_min_pulse_us">2500 µs</td>')
    assert.include(page, '<td data-setting="quiet_hours">22:00–05:00 UTC</td>')
    // The form starts from the running values.
    assert.include(page, 'name="quiet_start_min" value="22:00"')
    assert.include(page, 'name="telemetry_period_ms" value="120000"')
    const live = await client
      .get(`/admin/machines/${machine.id}/live`)
      .withGuard('web')
      .loginAs(admin)
    live.assertTextIncludes('<td data-setting="quiet_hours">22:00–05:00 UTC</td>')
  })

  test('shows the fields the device refused, and keeps the running values it reports', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))

    device.socket.emit(DeviceToServerEvent.ConfigApplied, {
      settings: { ...RUNNING, quiet_start_min: 0, quiet_end_min: 0 },
      rejected: [{ field: 'max_motor_run_ms', reason: 'out_of_range' }],
    })
    await eventually(async () => (await Machine.findOrFail(machine.id)).deviceSettings)
    const html = await eventually(async () => {
      const text = (await machinePage(client, admin, machine)).text()
      return text.includes('id="device-settings-rejected"') ? text : null
    })
    assert.include(html, '<code>max_motor_run_ms</code> (out_of_range)')
    assert.include(html, '<td data-setting="quiet_hours">none</td>')
  })

  test('a form with every field blank reads the running values back with config {}; a blank line count asks for 20', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    const response = await post(client, admin, machine, 'settings')
    response.assertStatus(302)
    response.assertFlashMessage(
      'notice',
      `Asked ${machine.code} for its running settings. They show below once it answers.`
    )
    assert.deepEqual(await commands.nth(1), ['config', {}])
    // A blank line count asks for the firmware's default.
    await post(client, admin, machine, 'logs', { count: '' })
    assert.deepEqual(await commands.nth(2), ['logs', { count: 20 }])
    assert.deepEqual(await auditActions(machine.id), [
      'machine.device_settings_read',
      'machine.device_logs',
    ])
  })

  test('refuses out-of-range and malformed input with form errors, and sends nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    const high = await post(client, admin, machine, 'settings', {
      max_motor_run_ms: '60000',
      beam_min_pulse_us: '499',
      beam_ignore_ms: '12.5',
      telemetry_period_ms: 'fast',
      quiet_start_min: '24:00',
      quiet_end_min: '05:00',
    })
    high.assertStatus(302)
    high.assertFlashMessage('inputErrorsBag', {
      max_motor_run_ms: ['The motor run time must be between 1000 and 20000 ms.'],
      beam_min_pulse_us: ['The beam pulse width must be between 500 and 50000 µs.'],
      beam_ignore_ms: ['Enter a whole number.'],
      telemetry_period_ms: ['Enter a whole number.'],
      quiet_start_min: ['Enter a time of day as HH:MM (UTC), e.g. 22:00.'],
    })

    const half = await post(client, admin, machine, 'settings', { quiet_start_min: '22:00' })
    half.assertFlashMessage('inputErrorsBag', {
      quiet_end_min: ['Give both ends of the quiet hours, or neither.'],
    })

    const logs = await post(client, admin, machine, 'logs', { count: '65' })
    logs.assertFlashMessage('inputErrorsBag', { count: ['Ask for 1 to 64 lines.'] })

    // A valid request after them: the first command the device sees.
    await post(client, admin, machine, 'logs', { count: '3' })
    assert.deepEqual(await commands.nth(1), ['logs', { count: 3 }])
    assert.lengthOf(commands.received, 1)
    assert.deepEqual(await auditActions(machine.id), ['machine.device_logs'])
  })
})

test.group('Machine device: refusals', (group) => {
  group.each.setup(truncateAll)

  test('an offline machine: every operation is a form error saying so; nothing is audited', async ({
    client,
    assert,
  }) => {
    const admin = await createAdmin()
    const offline = await MachineFactory.create()
    // Written online, but no device holds a socket (its node went away).
    const stale = await MachineFactory.merge({ status: MachineStatus.Online }).create()

    for (const machine of [offline, stale]) {
      for (const [operation, form] of [
        ['settings', { max_motor_run_ms: '4000' }],
        ['logs', { count: '10' }],
        ['reboot', {}],
      ] as const) {
        const response = await post(client, admin, machine, operation, form)
        response.assertStatus(302)
        response.assertHeader('location', `/admin/machines/${machine.id}#device`)
        response.assertFlashMessage(
          'error',
          'The machine is offline, so nothing was sent to its device.'
        )
        response.assertFlashMessage('errorCode', 'machine_offline')
      }
      assert.deepEqual(await auditActions(machine.id), [])
      assert.equal(
        await DeviceEvent.query()
          .where('machine_id', machine.id)
          .count('* as total')
          .first()
          .then((row) => Number(row!.$extras.total)),
        0
      )
    }
  })

  test('a machine in maintenance with its device connected still takes them (that is when one is retuned)', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)
    await Machine.query().where('id', machine.id).update({ status: MachineStatus.Maintenance })

    const response = await post(client, admin, machine, 'reboot')
    response.assertFlashMissing('error')
    assert.deepEqual(await commands.nth(1), ['reboot', {}])
  })

  test('a signed-in shopper is refused and nothing reaches the device', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { user } = await createShopper()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    for (const operation of ['settings', 'logs', 'reboot'] as const) {
      const response = await client
        .post(`/admin/machines/${machine.id}/device/${operation}`)
        .loginAs(user)
        .header('accept', 'text/html')
        .form({ max_motor_run_ms: '4000', count: '5' })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(403)
    }
    await post(client, admin, machine, 'logs', { count: '1' })
    assert.deepEqual(await commands.nth(1), ['logs', { count: 1 }])
    assert.lengthOf(commands.received, 1)
    assert.deepEqual(await auditActions(machine.id), ['machine.device_logs'])
  })
})

test.group('Machine device: reboot', (group) => {
  group.each.setup(truncateAll)

  test('sends reboot, audits it, and shows the device refusing with its reason', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    const response = await post(client, admin, machine, 'reboot')
    response.assertStatus(302)
    response.assertFlashMessage(
      'notice',
      `Reboot sent to ${machine.code}. Its answer shows below; it goes offline for a few seconds.`
    )
    assert.deepEqual(await commands.nth(1), ['reboot', {}])
    const audit = await AuditLog.query().where('action', 'machine.device_reboot').firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.equal(audit.subjectId, machine.id)

    const unanswered = await machinePage(client, admin, machine)
    unanswered.assertTextIncludes('no answer yet')

    device.socket.emit(DeviceToServerEvent.RebootAck, { ok: false, reason: 'update_in_progress' })
    const ack = await eventually(() =>
      DeviceEvent.query().where('machine_id', machine.id).where('event', 'reboot_ack').first()
    )
    assert.equal(ack.direction, 'in')
    assert.deepEqual(ack.payload, { ok: false, reason: 'update_in_progress' })
    const page = await machinePage(client, admin, machine)
    page.assertTextIncludes('<span class="badge failed">refused</span> update_in_progress')

    // A later request is shown as awaiting its own answer.
    await post(client, admin, machine, 'reboot')
    await commands.nth(2)
    const again = await machinePage(client, admin, machine)
    again.assertTextIncludes('no answer yet')
    device.socket.emit(DeviceToServerEvent.RebootAck, { ok: true })
    await eventually(async () =>
      (await machinePage(client, admin, machine)).text().includes('badge online">restarting')
    )
  })

  test('refuses a reboot while a vend is in flight, and sends nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, slot, product, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)
    const { user } = await createShopper()
    const order = await OrderFactory.merge({
      userId: user.id,
      machineId: machine.id,
      slotId: slot.id,
      productId: product.id,
      status: OrderStatus.Dispensing,
      dispatchedAt: DateTime.now(),
    }).create()

    const response = await post(client, admin, machine, 'reboot')
    response.assertStatus(302)
    response.assertFlashMessage(
      'error',
      'A vend is in flight on this machine: reboot it once the vend has finished.'
    )
    response.assertFlashMessage('errorCode', 'vend_in_flight')

    // Settings and logs are not a restart: they still go.
    await post(client, admin, machine, 'logs', { count: '2' })
    assert.deepEqual(await commands.nth(1), ['logs', { count: 2 }])
    assert.lengthOf(commands.received, 1)
    assert.deepEqual(await auditActions(machine.id), ['machine.device_logs'])
    await order.merge({ status: OrderStatus.Completed }).save()
  })
})

test.group('Machine device: log lines', (group) => {
  group.each.setup(truncateAll)

  test('asks for the lines, keeps what the device sends and shows it; a malformed answer changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const admin = await createAdmin()
    const { machine, device } = await createOnlineMachine()
    cleanup(() => disconnectDevice(device, machine.id))
    const commands = remoteCommands(device)

    const response = await post(client, admin, machine, 'logs', { count: '2' })
    response.assertFlashMessage(
      'notice',
      `Log request sent to ${machine.code}. Its lines show below once it answers.`
    )
    assert.deepEqual(await commands.nth(1), ['logs', { count: 2 }])
    const audit = await AuditLog.query().where('action', 'machine.device_logs').firstOrFail()
    assert.deepEqual(audit.after, { count: 2 })

    const lines = ['5230 link: ready', '61230 vend 45979658: dropped <ok>']
    device.socket.emit(DeviceToServerEvent.LogLines, { lines, dropped: 3 })
    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.deviceLogs ? current : null
    })
    assert.deepEqual(stored.deviceLogs, { lines, dropped: 3 })
    assert.isNotNull(stored.deviceLogsAt)

    const page = await machinePage(client, admin, machine)
    page.assertTextIncludes(
      '<pre class="payload" id="device-logs">5230 link: ready\n61230 vend 45979658: dropped &lt;ok&gt;</pre>'
    )
    page.assertTextIncludes('3 older lines dropped since its restart')

    // Not a list of strings: ignored as a whole, noted in the monitor.
    device.socket.emit(DeviceToServerEvent.LogLines, { lines: [42], dropped: 0 })
    device.socket.emit(DeviceToServerEvent.LogLines, {
      lines: Array.from({ length: 65 }, (_, index) => `${index} line`),
      dropped: 0,
    })
    device.socket.emit(DeviceToServerEvent.ConfigApplied, {
      settings: { ...RUNNING, max_motor_run_ms: 60_000 },
      rejected: [],
    })
    device.socket.emit(DeviceToServerEvent.RebootAck, { ok: 'yes' })
    const invalid = await eventually(async () => {
      const rows = await DeviceEvent.query()
        .where('machine_id', machine.id)
        .whereIn('event', ['log_lines', 'config_applied', 'reboot_ack'])
        .orderBy('id')
      return rows.length === 5 ? rows : null
    })
    assert.deepEqual(
      invalid.map((row) => [row.event, row.payload]),
      [
        ['log_lines', { lines: 2, dropped: 3 }],
        ['log_lines', { error: 'invalid_payload' }],
        ['log_lines', { error: 'invalid_payload' }],
        ['config_applied', { error: 'invalid_payload' }],
        ['reboot_ack', { error: 'invalid_payload' }],
      ]
    )
    const after = await Machine.findOrFail(machine.id)
    assert.deepEqual(after.deviceLogs, { lines, dropped: 3 })
    assert.isNull(after.deviceSettings)
  })
})
