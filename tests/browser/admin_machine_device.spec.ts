import { test } from '@japa/runner'
import User from '#models/user'
import { Role } from '#enums/role'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { DeviceToServerEvent, ServerToDeviceEvent } from '#services/device_protocol'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, disconnectDevice, waitUntilOnline } from '#tests/helpers/device'

const PASSWORD = 'correct horse battery'

test.group('Admin machine Device card in a browser', (group) => {
  group.each.setup(truncateAll)

  test('pushes settings, shows a field error for an out-of-range value, and shows the answers live', async ({
    visit,
    assert,
    cleanup,
  }) => {
    await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    const machine = await MachineFactory.merge({ code: 'lobby-07', name: 'Lobby' }).create()
    const device = await connectDevice(machine.code, TEST_DEVICE_KEY)
    cleanup(() => disconnectDevice(device, machine.id))
    await waitUntilOnline(machine.id)
    // A device of the current firmware; it answers when the test says.
    const settings = {
      max_motor_run_ms: 5000,
      beam_min_pulse_us: 3000,
      beam_ignore_ms: 150,
      telemetry_period_ms: 60_000,
      quiet_start_min: 0,
      quiet_end_min: 0,
    }
    const received: string[] = []
    device.socket.on(ServerToDeviceEvent.Config, (config: Partial<typeof settings>) => {
      Object.assign(settings, config)
      received.push('config')
    })
    device.socket.on(ServerToDeviceEvent.Logs, () => received.push('logs'))

    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.goto(`/admin/machines/${machine.id}`)
    await page.locator('#live-state.connected').waitFor()
    await page.assertTextContains('#device-settings-state', 'Not reported yet')

    // Out of range: the form comes back open with the reason under the field.
    await page.getByRole('button', { name: 'Change settings…' }).click()
    await page.locator('#device-settings-form form').evaluate((form: any) => {
      form.setAttribute('novalidate', '')
    })
    await page.getByLabel('Max motor run time (ms)').fill('60000')
    await page.getByRole('button', { name: 'Send settings' }).click()
    await page.assertTextContains(
      '.field-error',
      'The motor run time must be between 1000 and 20000 ms.'
    )
    assert.equal(settings.max_motor_run_ms, 5000)

    await page.getByLabel('Max motor run time (ms)').fill('4000')
    await page.getByLabel('Quiet hours from (UTC)').fill('22:00')
    await page.getByLabel('until (UTC, exclusive)').fill('05:00')
    await page.getByRole('button', { name: 'Send settings' }).click()
    await page.assertTextContains('.notice', 'Settings sent to lobby-07.')
    await page.assertTextContains('#device-settings-state', 'awaiting answer')
    await page.locator('#live-state.connected').waitFor()
    assert.deepEqual(received, ['config'])

    // The answer arrives over the socket: the page shows it without a reload.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    device.socket.emit(DeviceToServerEvent.ConfigApplied, { settings, rejected: [] })
    await page.locator('[data-setting="quiet_hours"]').waitFor()
    await page.assertText('[data-setting="max_motor_run_ms"]', '4000 ms')
    await page.assertText('[data-setting="quiet_hours"]', '22:00–05:00 UTC')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))

    await page.getByRole('button', { name: 'Pull log lines' }).click()
    await page.assertTextContains('.notice', 'Log request sent to lobby-07.')
    await page.locator('#live-state.connected').waitFor()
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    device.socket.emit(DeviceToServerEvent.LogLines, {
      lines: ['5230 link: ready', `61230 ${'x'.repeat(110)}`],
      dropped: 0,
    })
    await page.locator('#device-logs').waitFor()
    await page.assertTextContains('#device-logs', '5230 link: ready')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
    assert.deepEqual(received, ['config', 'logs'])

    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: 'tmp/screenshots/machines-device-phone.png', fullPage: true })
    const overflow = await page.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth
    )
    assert.isAtMost(overflow, 390)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.locator('#device').screenshot({ path: 'tmp/screenshots/machines-device.png' })
  })
})
