import { test } from '@japa/runner'
import type { Page } from 'playwright'
import User from '#models/user'
import { Role } from '#enums/role'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'

const PASSWORD = 'correct horse battery'
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 390, height: 844 }

async function logIn(page: Page) {
  await page.getByLabel('Email').fill('ops@example.com')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/**
 * How wide the page's content is (px): more than the viewport means
 * something sticks out sideways.
 */
function contentWidth(page: Page) {
  return page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
}

/**
 * Size (px) a QR code is drawn at on the page.
 */
async function qrBox(page: Page, selector: string) {
  const box = await page.locator(selector).first().boundingBox()
  if (!box) throw new Error(`${selector} is not visible`)
  return box
}

test.group('Admin machine QR codes in a browser', (group) => {
  group.each.setup(truncateAll)

  test('shows the QR on the machine page and prints clean labels that fit a phone', async ({
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
      code: 'lobby-01',
      name: 'Lobby snacks',
      location: 'Ground floor, next to reception and the visitor lounge',
    }).create()
    await MachineFactory.merge({
      code: 'gym-02',
      name: 'Gym drinks',
      location: 'Basement',
    }).create()
    await MachineFactory.merge({
      code: 'cafeteria-third-floor-east-wing',
      name: 'Cafeteria, third floor (east wing)',
    }).create()
    const url = `${baseUrl()}/m/lobby-01`

    const page = await visit('/admin/login')
    await logIn(page)

    // The machine page: the QR, its URL under it, and the print link.
    await page.goto(`/admin/machines/${machine.id}`)
    await page.locator('#shopper-qr svg').waitFor()
    await page.assertTextContains('#shopper-url', url)
    const onPage = await qrBox(page, '#shopper-qr .qr-code svg')
    assert.isAtLeast(onPage.width, 150)
    assert.approximately(onPage.width, onPage.height, 1)
    await page.locator('#shopper-qr').scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'tmp/screenshots/qr-machine-desktop.png', fullPage: true })
    await page.setViewportSize(PHONE)
    await page.locator('#shopper-qr').screenshot({ path: 'tmp/screenshots/qr-machine-phone.png' })
    assert.isAtMost(await contentWidth(page), PHONE.width)
    await page.setViewportSize(DESKTOP)

    // The print page: no panel navigation, a big QR, fits a phone.
    await page.getByRole('button', { name: 'Print', exact: true }).click()
    await page.waitForURL(`**/admin/machines/${machine.id}/qr`)
    await page.assertTextContains('.qr-label', 'Scan to buy')
    await page.assertTextContains('.qr-label', 'Lobby snacks')
    await page.assertTextContains('.qr-label-url', url)
    assert.equal(await page.locator('.topbar').count(), 0)
    assert.isAtLeast((await qrBox(page, '.qr-label svg')).width, 300)
    await page.screenshot({ path: 'tmp/screenshots/qr-print-desktop.png', fullPage: true })
    await page.setViewportSize(PHONE)
    assert.isAtMost(await contentWidth(page), PHONE.width)
    const onPhone = await qrBox(page, '.qr-label svg')
    assert.isAtLeast(onPhone.width, 250)
    assert.isAtMost(onPhone.x + onPhone.width, PHONE.width)
    await page.screenshot({ path: 'tmp/screenshots/qr-print-phone.png', fullPage: true })

    // As printed: the toolbar is gone, the label stays.
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize(DESKTOP)
    assert.isFalse(await page.locator('.qr-toolbar').isVisible())
    assert.isTrue(await page.locator('.qr-label svg').isVisible())
    await page.screenshot({ path: 'tmp/screenshots/qr-print-media.png', fullPage: true })
    await page.emulateMedia({ media: 'screen' })

    // Every machine on one sheet.
    await page.goto('/admin/machines')
    await page.getByRole('button', { name: 'Print all QR codes' }).click()
    await page.waitForURL('**/admin/machines/qr')
    assert.deepEqual(
      await page
        .locator('.qr-label')
        .evaluateAll((labels) => labels.map((label: any) => label.dataset.machine)),
      ['cafeteria-third-floor-east-wing', 'gym-02', 'lobby-01']
    )
    await page.screenshot({ path: 'tmp/screenshots/qr-sheet-desktop.png', fullPage: true })
    await page.setViewportSize(PHONE)
    assert.isAtMost(await contentWidth(page), PHONE.width)
    await page.screenshot({ path: 'tmp/screenshots/qr-sheet-phone.png', fullPage: true })
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize(DESKTOP)
    await page.screenshot({ path: 'tmp/screenshots/qr-sheet-print-media.png', fullPage: true })
  })
})
