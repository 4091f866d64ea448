import { test } from '@japa/runner'
import type { Page } from 'playwright'
import User from '#models/user'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import { Role } from '#enums/role'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import { MachineFactory as Machines, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { connectDevice, waitUntilOnline } from '#tests/helpers/device'

const PASSWORD = 'correct horse battery'

/**
 * Saves `tmp/screenshots/rollouts-<name>-desktop.png` and `-phone.png`
 * (390 px wide) and returns how wide the page is at phone width: nothing
 * may stick out sideways.
 */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: `tmp/screenshots/rollouts-${name}-desktop.png`, fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: `tmp/screenshots/rollouts-${name}-phone.png`, fullPage: true })
  const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)
  await page.setViewportSize({ width: 1280, height: 800 })
  return width as number
}

async function logIn(page: Page) {
  await page.getByLabel('Email').fill('ops@example.com')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
}

function createAdmin() {
  return User.create({
    username: 'admin-ops',
    role: Role.Admin,
    email: 'ops@example.com',
    password: PASSWORD,
    balancePaise: 0,
  })
}

function createRelease(version: string, publishedBy: number | null = null) {
  return FirmwareRelease.create({
    version,
    notes: 'Jam detection and a steadier Wi-Fi reconnect',
    sizeBytes: 1_048_576,
    sha256: 'ab'.repeat(32),
    signature: 'c2ln',
    fileName: `vendora-${version}.bin`,
    publishedBy,
  })
}

test.group('Admin firmware rollouts in a browser', (group) => {
  group.each.setup(truncateAll)

  test('shows releases, the form, the list and a halted rollout at desktop and phone width', async ({
    visit,
    assert,
  }) => {
    const admin = await createAdmin()
    const release = await createRelease('1.4.0', admin.id)
    await createRelease('1.3.2', admin.id)
    const states = [
      { state: RolloutTargetState.Confirmed, versionAfter: 'vendora-esp32-1.4.0' },
      { state: RolloutTargetState.Downloading, percent: 60 },
      { state: RolloutTargetState.Failed, reason: 'sha256_mismatch' },
      { state: RolloutTargetState.RolledBack, reason: 'not_confirmed' },
      { state: RolloutTargetState.Pending },
      { state: RolloutTargetState.Pending },
    ]
    const rollout = await FirmwareRollout.create({
      firmwareReleaseId: release.id,
      status: RolloutStatus.Halted,
      selector: 'tag airport-terminal-2',
      stage: 0,
      failureThreshold: 2,
      haltReason:
        '2 of 4 canaries failed (airport-t2-03: sha256_mismatch, airport-t2-04: not_confirmed)',
      createdBy: admin.id,
    })
    for (const [i, fields] of states.entries()) {
      const machine = await Machines.merge({
        code: `airport-t2-0${i + 1}`,
        name: `Terminal 2, gate ${i + 1}`,
        firmwareVersion: 'vendora-esp32-1.3.2',
        tags: ['airport', 'airport-terminal-2'],
      }).create()
      await FirmwareRolloutTarget.create({
        rolloutId: rollout.id,
        machineId: machine.id,
        stage: i < 4 ? 0 : 1,
        versionBefore: machine.firmwareVersion,
        attempts: i === 3 ? 2 : 1,
        ...fields,
      })
    }

    const page = await visit('/admin/login')
    await logIn(page)

    await page.goto('/admin/firmware')
    assert.isAtMost(await screenshots(page, 'releases'), 390)
    await page.locator('[data-roll-out="1.4.0"]').click()
    await page.assertTextContains('h1', 'New rollout')
    assert.equal(await page.locator('select[name="version"]').inputValue(), '1.4.0')
    // Only the chosen way of picking machines shows.
    assert.isTrue(await page.locator('select[name="machines[]"]').isVisible())
    assert.isFalse(await page.locator('input[name="tag"]').isVisible())
    await page.getByLabel('Every machine with a tag').check()
    assert.isTrue(await page.locator('input[name="tag"]').isVisible())
    assert.isFalse(await page.locator('select[name="machines[]"]').isVisible())
    await page.getByLabel('Chosen machines').first().check()
    assert.isAtMost(await screenshots(page, 'form'), 390)

    // A tag no machine has: StartRollout's refusal, under the tag input.
    await page.getByLabel('Every machine with a tag').check()
    await page.locator('input[name="tag"]').fill('nowhere')
    await page.getByRole('button', { name: 'Start rollout' }).click()
    await page.assertTextContains('[role="alert"]', 'No machine matches.')
    await page.assertTextContains('.field-error', 'No machine matches.')
    assert.isTrue(await page.locator('input[name="tag"]').isVisible())
    assert.equal(await page.locator('input[name="tag"]').inputValue(), 'nowhere')
    assert.equal(await page.locator('select[name="version"]').inputValue(), '1.4.0')
    assert.isAtMost(await screenshots(page, 'form-refused'), 390)
    assert.lengthOf(await FirmwareRollout.all(), 1)

    await page.goto(`/admin/firmware/rollouts/${rollout.id}`)
    await page.locator('#live-state.connected').waitFor()
    await page.assertTextContains('#rollout-status', 'halted')
    await page.assertTextContains('#halt-reason', '2 of 4 canaries failed')
    assert.isAtMost(await screenshots(page, 'halted'), 390)

    await page.goto('/admin/firmware/rollouts')
    await page.locator('#live-state.connected').waitFor()
    assert.isAtMost(await screenshots(page, 'list'), 390)

    await page.goto('/admin/machines?tag=airport-terminal-2')
    assert.isAtMost(await screenshots(page, 'machines-by-tag'), 390)
  })

  test("a rollout started from the form follows a real device's ota_progress without a reload", async ({
    visit,
    assert,
  }) => {
    await createAdmin()
    await createRelease('1.4.0')
    const online = await Machines.merge({
      code: 'bay-01',
      name: 'Bay one',
      firmwareVersion: 'vendora-esp32-1.3.0',
    }).create()
    await Machines.merge({
      code: 'bay-02',
      name: 'Bay two',
      firmwareVersion: 'vendora-esp32-1.3.0',
    }).create()
    const device = await connectDevice('bay-01', TEST_DEVICE_KEY)
    await waitUntilOnline(online.id)
    const offered = new Promise<{ version: string; url: string }>((resolve) =>
      device.socket.once('ota', resolve)
    )

    const page = await visit('/admin/login')
    await logIn(page)
    await page.goto('/admin/firmware')
    await page.locator('[data-roll-out="1.4.0"]').click()
    await page.locator('select[name="machines[]"]').selectOption(['bay-01', 'bay-02'])
    await page.getByLabel('Canaries').fill('2')
    await page.getByLabel('Failures that halt it').fill('1')
    await page.getByRole('button', { name: 'Start rollout' }).click()
    await page.assertTextContains('.notice', 'started')
    await page.locator('#live-state.connected').waitFor()
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))

    // The device was offered the update at once; it reports its download.
    const ota = await offered
    assert.equal(ota.version, 'vendora-esp32-1.4.0')
    device.socket.emit('ota_progress', { version: ota.version, state: 'downloading', percent: 0 })
    const row = page.locator('tr[data-target-machine="bay-01"]')
    await page.locator('tr[data-target-machine="bay-01"][data-state="downloading"]').waitFor()
    device.socket.emit('ota_progress', { version: ota.version, state: 'downloading', percent: 40 })
    await page.waitForFunction(
      () =>
        (globalThis as any).document
          .querySelector('tr[data-target-machine="bay-01"] [data-percent]')
          ?.textContent.trim() === '40%'
    )
    assert.equal(await row.locator('progress').getAttribute('value'), '40')
    assert.isAtMost(await screenshots(page, 'downloading'), 390)

    // A failed canary reaches the threshold of 1: the rollout halts.
    device.socket.emit('ota_progress', {
      version: ota.version,
      state: 'failed',
      reason: 'sha256_mismatch',
    })
    await page.locator('#rollout-summary[data-status="halted"]').waitFor()
    await page.locator('tr[data-target-machine="bay-01"][data-state="failed"]').waitFor()
    await page.assertTextContains('tr[data-target-machine="bay-01"]', 'sha256_mismatch')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
    assert.isAtMost(await screenshots(page, 'live-halted'), 390)

    // The operator's buttons: resume, then cancel (confirmed).
    await page.getByRole('button', { name: 'Resume' }).click()
    await page.assertTextContains('.notice', 'resumed')
    await page.locator('#rollout-summary[data-status="running"]').waitFor()
    await page.getByText('Cancel rollout…').click()
    await page.getByRole('button', { name: 'Yes, cancel the rollout' }).click()
    await page.assertTextContains('.notice', 'cancelled')
    await page.locator('#rollout-summary[data-status="cancelled"]').waitFor()
    assert.equal(await page.locator('.rollout-actions').count(), 0)
    const rollout = await FirmwareRollout.firstOrFail()
    assert.equal(rollout.status, RolloutStatus.Cancelled)
    device.close()
  })
})
