import { test } from '@japa/runner'
import type { Page } from 'playwright'
import User from '#models/user'
import FirmwareRelease from '#models/firmware_release'
import FirmwareRollout from '#models/firmware_rollout'
import FirmwareRolloutTarget from '#models/firmware_rollout_target'
import { Role } from '#enums/role'
import { RolloutStatus } from '#enums/rollout_status'
import { RolloutTargetState } from '#enums/rollout_target_state'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'

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
      const machine = await MachineFactory.merge({
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
})
