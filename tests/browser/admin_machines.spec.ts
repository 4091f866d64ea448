import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { Page } from 'playwright'
import User from '#models/user'
import Restock from '#models/restock'
import Slot from '#models/slot'
import Machine from '#models/machine'
import { Role } from '#enums/role'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, disconnectDevice, eventually, waitUntilOnline } from '#tests/helpers/device'

const PASSWORD = 'correct horse battery'

/**
 * Saves `tmp/screenshots/machines-<name>-desktop.png` and `-phone.png`.
 */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: `tmp/screenshots/machines-${name}-desktop.png`, fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: `tmp/screenshots/machines-${name}-phone.png`, fullPage: true })
  // Nothing may stick out sideways at phone width.
  const overflow = await page.evaluate(
    () => (globalThis as any).document.documentElement.scrollWidth
  )
  await page.setViewportSize({ width: 1280, height: 800 })
  return overflow as number
}

test.group('Admin machines in a browser', (group) => {
  group.each.setup(truncateAll)

  test('creates a machine, sees its key once, stocks a slot and watches it live', async ({
    visit,
    assert,
  }) => {
    await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    await ProductFactory.merge({ name: 'Masala chips', pricePaise: 2000 }).create()
    await MachineFactory.merge({
      code: 'gym-02',
      name: 'Gym drinks',
      location: 'Basement, next to the lockers',
      firmwareVersion: 'vendora-esp32-0.1.0',
      lastSeenAt: DateTime.now().minus({ hours: 2 }),
    }).create()

    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()

    // Register a machine: the key is shown once.
    await page.goto('/admin/machines')
    await page.getByRole('button', { name: 'New machine' }).click()
    await page.getByLabel('Code').fill('lobby-01')
    await page.getByLabel('Name').fill('Lobby snacks')
    await page.getByLabel('Location').fill('Ground floor, reception')
    await page.getByRole('button', { name: 'Create machine' }).click()
    await page.assertTextContains('h1', 'Machine created')
    const key = (await page.locator('#device-key').textContent())!.trim()
    assert.lengthOf(key, 32)
    await page.assertTextContains('#config-h', `kDeviceKey[] = "${key}"`)
    await page.assertTextContains('#config-h', 'kMachineCode[] = "lobby-01"')
    await screenshots(page, 'key')
    await page.getByRole('button', { name: 'I have saved the key' }).click()
    const machine = await Machine.findByOrFail('code', 'lobby-01')
    assert.notInclude(await page.content(), key)

    // The machine page goes online live when the device connects with the key.
    await page.locator('#live-state.connected').waitFor()
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))
    const device = await connectDevice('lobby-01', key)
    await waitUntilOnline(machine.id)
    device.socket.emit('status', {
      firmware: 'vendora-esp32-0.2.0',
      rssi: -58,
      free_heap: 183204,
      uptime_ms: 5230,
      sensor_ok: true,
    })
    await page.locator('#machine-status [data-status].online').waitFor()
    await page.locator('#monitor tr[data-event="status"]').waitFor()
    await page.assertTextContains('#machine-status', 'vendora-esp32-0.2.0')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))

    // Planogram: add a slot with the product, then restock it.
    await page.getByRole('button', { name: 'Planogram' }).click()
    await page.getByLabel('Product').selectOption({ label: 'Masala chips · ₹20.00' })
    await page.getByLabel('Capacity (units)').fill('12')
    await page.getByRole('button', { name: 'Add slot' }).click()
    await page.assertTextContains('.notice', 'Slot 1 added.')
    await page.getByRole('button', { name: 'Edit / restock' }).click()
    await page.locator('select[name="mode"]').selectOption('add')
    await page.locator('input[name="quantity"]').fill('8')
    await page.getByRole('button', { name: 'Save stock' }).click()
    await page.assertTextContains('.notice', 'Slot 1 now holds 8 units (was 0).')
    await page.assertTextContains('#restocks', '0 → 8')
    await page.assertTextContains('#restocks', 'ops@example.com')

    // Beyond the capacity is refused, with the reason under the field.
    await page.locator('select[name="mode"]').selectOption('add')
    await page.locator('input[name="quantity"]').fill('5')
    await page.locator('#restock-form').evaluate((form: any) => form.setAttribute('novalidate', ''))
    await page.getByRole('button', { name: 'Save stock' }).click()
    await page.assertTextContains(
      '.field-error',
      'That would make 13 units; this slot holds at most 12.'
    )
    const slot = await Slot.findByOrFail('machine_id', machine.id)
    assert.equal(slot.quantity, 8)
    assert.equal((await Restock.query().where('slot_id', slot.id)).length, 1)

    // Screenshots: planogram, machine page (with a test vend in the monitor), list.
    await page.goto(`/admin/machines/${machine.id}/planogram`)
    assert.isAtMost(await screenshots(page, 'planogram'), 390)

    await page.goto(`/admin/machines/${machine.id}`)
    await page.locator('#live-state.connected').waitFor()
    await page.getByRole('button', { name: 'Send test vend' }).click()
    const command = await device.nextVend()
    assert.equal(command.slot, 1)
    await device.report(command.command_id, 'dropped')
    await page.locator('#test-vends .badge.completed').waitFor()
    await page.locator('#monitor tr[data-event="vend_result"]').waitFor()
    assert.isAtMost(await screenshots(page, 'machine'), 390)

    await page.goto('/admin/machines')
    await page.locator('#live-state.connected').waitFor()
    await page.locator('tr[data-machine="lobby-01"] [data-status].online').waitFor()
    assert.isAtMost(await screenshots(page, 'list'), 390)

    // The list follows the device going away without a reload.
    await disconnectDevice(device, machine.id)
    await page.locator('tr[data-machine="lobby-01"] [data-status].offline').waitFor()
    await eventually(async () => (await Machine.findOrFail(machine.id)).status === 'offline')
  })

  test("an offline machine's page says the machine is offline, and labels its own live updates as the page's", async ({
    visit,
    assert,
  }) => {
    await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    const machine = await MachineFactory.merge({
      code: 'hall-03',
      name: 'Hall snacks',
      location: 'First floor hall',
    }).create()
    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()

    for (const path of [`/admin/machines/${machine.id}`, '/admin/machines', '/admin']) {
      await page.goto(path)
      await page.locator('#live-state.connected').waitFor()
      // The page's socket: worded as the page's, and not drawn as a status badge.
      assert.equal(
        (await page.locator('.live-indicator').innerText()).trim(),
        'Page updates: live',
        path
      )
      assert.notInclude(
        (await page.locator('#live-state').getAttribute('class')) ?? '',
        'badge',
        path
      )
    }

    // Beside the machine's name: the machine's status, which follows its device.
    await page.goto(`/admin/machines/${machine.id}`)
    await page.locator('#live-state.connected').waitFor()
    await page.assertText('#machine-head-status', 'offline')
    const device = await connectDevice(machine.code, TEST_DEVICE_KEY)
    await page.locator('#machine-head-status.online').waitFor()
    await page.assertText('#machine-head-status', 'online')
    await disconnectDevice(device, machine.id)
    await page.locator('#machine-head-status.offline').waitFor()
    await page.screenshot({ path: 'tmp/screenshots/machines-offline-header.png' })
  })
})
