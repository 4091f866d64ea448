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
import { closeAfter } from '#tests/helpers/device_session'
import { createShopper } from '#tests/helpers/shopper'
import { buyThroughApi } from '#tests/helpers/live_orders'
import {
  RawDevice,
  loadVector,
  replayVector,
  type ProtocolVector,
} from '#tests/helpers/device_protocol'

/**
 * Posts a Device-card form of the machine's page as `admin`.
 */
async function panel(
  client: ApiClient,
  admin: User,
  machineId: number,
  operation: 'settings' | 'logs' | 'reboot',
  form: Record<string, string> = {}
) {
  const response = await client
    .post(`/admin/machines/${machineId}/device/${operation}`)
    .withGuard('web')
    .loginAs(admin)
    .header('referer', `http://localhost/admin/machines/${machineId}`)
    .form(form)
    .withCsrfToken()
    .redirects(0)
  response.assertStatus(302)
  response.assertFlashMissing('error')
  response.assertFlashMissing('inputErrorsBag')
}

/**
 * The vector's frames from the first one with `trigger` on (`from`), or
 * before it (`until`).
 */
function split(vector: ProtocolVector, trigger: string) {
  const at = vector.frames.findIndex((frame) => frame.trigger === trigger)
  if (at < 0) throw new Error(`no ${trigger} trigger in the vector`)
  return {
    until: { ...vector, frames: vector.frames.slice(0, at) },
    from: { ...vector, frames: vector.frames.slice(at) },
  }
}

/**
 * The sessions of firmware/PROTOCOL.md §13.2–13.3 written with the
 * firmware (firmware/protocol/config.json, logs_reboot.json), replayed
 * against the server with the panel as the operator: the server sends the
 * frames the firmware was built for, and takes its answers.
 */
test.group('Remote operations on the wire (ESP32 emulation)', (group) => {
  group.each.setup(truncateAll)

  test('config.json: settings from the panel, then fields the device refuses; the running values are stored', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const admin = await UserFactory.apply('admin').create()
    const { machine, key } = await createMachine()
    // The session ends with an `ota` inside the quiet hours: firmware
    // rollouts, not replayed here.
    const { until: settingsPart } = split(await loadVector('config'), 'release')
    const now = new Date()
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes()
    const vars = {
      machine: machine.code,
      key,
      // A quiet window around the server's clock, as the vector asks.
      quiet_start_min: String((minute + 1440 - 60) % 1440),
      quiet_end_min: String((minute + 60) % 1440),
    }
    let configs = 0
    const device = opened(await RawDevice.connect(settingsPart.connect))
    await replayVector(device, settingsPart, vars, {
      config: async () => {
        await waitUntilOnline(machine.id)
        if (++configs === 1) {
          await panel(client, admin, machine.id, 'settings', {
            max_motor_run_ms: '4000',
            beam_min_pulse_us: '2500',
            beam_ignore_ms: '200',
            telemetry_period_ms: '120000',
            quiet_start_min: '22:00',
            quiet_end_min: '05:00',
          })
        } else {
          // The panel refuses such values; the device must defend itself too.
          await (
            await app.container.make(RemoteOperations)
          ).send(machine.id, ServerToDeviceEvent.Config, {
            max_motor_run_ms: 60_000,
            beam_min_pulse_us: 'fast',
            quiet_start_min: Number(vars.quiet_start_min),
            quiet_end_min: Number(vars.quiet_end_min),
          })
        }
      },
    })

    const expected = {
      max_motor_run_ms: 4000,
      beam_min_pulse_us: 2500,
      beam_ignore_ms: 200,
      telemetry_period_ms: 120_000,
      quiet_start_min: Number(vars.quiet_start_min),
      quiet_end_min: Number(vars.quiet_end_min),
    }
    const stored = await eventually(async () => {
      const current = await Machine.findOrFail(machine.id)
      return current.deviceSettings?.quiet_start_min === expected.quiet_start_min ? current : null
    })
    assert.deepEqual(stored.deviceSettings, expected)
    const answers = await eventually(async () => {
      const rows = await DeviceEvent.query()
        .where('machine_id', machine.id)
        .where('event', 'config_applied')
        .orderBy('id')
      return rows.length === 2 ? rows : null
    })
    assert.deepEqual(answers[1].payload?.rejected, [
      { field: 'max_motor_run_ms', reason: 'out_of_range' },
      { field: 'beam_min_pulse_us', reason: 'not_an_integer' },
    ])
  })

  test('logs_reboot.json: log lines pulled from the panel; a reboot refused during a vend, then taken; the device joins again after its restart', async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const admin = await UserFactory.apply('admin').create()
    const { machine, product, key } = await createMachine({ quantity: 5 })
    const { token } = await createShopper({ balancePaise: 10_000 })
    const lines = ['5230 link: ready', '5312 status sent', '61230 hello from 10.0.4.17']
    const vars: Record<string, string> = {
      machine: machine.code,
      key,
      log_lines: JSON.stringify(lines),
      dropped: '0',
    }
    const { until: beforeRestart, from: afterRestart } = split(
      await loadVector('logs_reboot'),
      'restart'
    )
    let reboots = 0
    let orderId = 0

    const first = opened(await RawDevice.connect(beforeRestart.connect))
    await replayVector(first, beforeRestart, vars, {
      logs: async () => {
        await waitUntilOnline(machine.id)
        await panel(client, admin, machine.id, 'logs', { count: '3' })
      },
      buy: async () => {
        orderId = (await buyThroughApi(client, token, product, machine)).id
      },
      reboot: async () => {
        if (++reboots === 1) {
          // The panel holds a reboot back while the vend is in flight...
          const refused = await client
            .post(`/admin/machines/${machine.id}/device/reboot`)
            .withGuard('web')
            .loginAs(admin)
            .form({})
            .withCsrfToken()
            .redirects(0)
          refused.assertFlashMessage('errorCode', 'vend_in_flight')
          // ...one that got past it (sent just before the buy) meets the device's own check.
          await (
            await app.container.make(RemoteOperations)
          ).send(machine.id, ServerToDeviceEvent.Reboot, {})
        } else {
          await panel(client, admin, machine.id, 'reboot')
        }
      },
    })
    assert.isAbove(orderId, 0)
    // The board restarts: its connection drops, and a new one opens.
    first.close()
    for (const fresh of ['sid', 'nsp_sid', 'server_time']) delete vars[fresh]
    const second = opened(await RawDevice.connect(afterRestart.connect))
    await replayVector(second, afterRestart, vars, { restart: async () => {} })
    await waitUntilOnline(machine.id)

    const stored = await Machine.findOrFail(machine.id)
    assert.deepEqual(stored.deviceLogs, { lines, dropped: 0 })
    const acks = await eventually(async () => {
      const rows = await DeviceEvent.query()
        .where('machine_id', machine.id)
        .where('event', 'reboot_ack')
        .orderBy('id')
      return rows.length === 2 ? rows : null
    })
    assert.deepEqual(
      acks.map((row) => row.payload),
      [{ ok: false, reason: 'vend_in_progress' }, { ok: true }]
    )
    assert.deepEqual(
      (await AuditLog.query().where('subject_id', machine.id).orderBy('id')).map(
        (row) => row.action
      ),
      ['machine.device_logs', 'machine.device_reboot']
    )
  })
})
