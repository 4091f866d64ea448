import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import User from '#models/user'
import { Role } from '#enums/role'
import { truncateAll } from '#tests/helpers/database'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { OrderFactory } from '#database/factories/order_factory'

const PASSWORD = 'correct horse battery'
const PHONE = { width: 390, height: 844 }

test.group('What sells in a browser', (group) => {
  group.each.setup(truncateAll)

  test('filters by machine, downloads a CSV and fits a phone', async ({ visit, assert }) => {
    const admin = await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    const lobby = await MachineFactory.merge({ code: 'm-lobby', name: 'Lobby' }).create()
    const gym = await MachineFactory.merge({ code: 'm-gym', name: 'Gym' }).create()
    const chips = await ProductFactory.merge({ name: 'Masala Chips', pricePaise: 2000 }).create()
    const water = await ProductFactory.merge({ name: 'Water', pricePaise: 1500 }).create()
    const lobbySlot = await SlotFactory.merge({ machineId: lobby.id, productId: chips.id }).create()
    const gymSlot = await SlotFactory.merge({ machineId: gym.id, productId: water.id }).create()
    const today = DateTime.now().startOf('day')
    for (let day = 1; day < 10; day++) {
      for (const [slot, product] of [
        [lobbySlot, chips],
        [gymSlot, water],
      ] as const) {
        for (let n = 0; n < (day % 3) + (product === water ? 1 : 0); n++) {
          await OrderFactory.merge({
            userId: admin.id,
            machineId: slot.machineId,
            slotId: slot.id,
            productId: product.id,
            pricePaise: product.pricePaise,
            createdAt: today.minus({ days: day }).plus({ hours: 8 + n * 3 }),
          }).create()
        }
      }
    }

    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/admin')

    await page.goto('/admin/analytics')
    await page.getByRole('button', { name: 'What sells →' }).click()
    await page.waitForURL('**/admin/analytics/insights')
    await page.screenshot({ path: 'tmp/screenshots/insights-desktop.png', fullPage: true })

    await page.locator('select[name=machine]').selectOption({ label: 'm-gym' })
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(`**/admin/analytics/insights?*machine=${gym.id}*`)
    assert.equal(await page.locator('#insights-products tbody tr').count(), 1)
    assert.include(await page.locator('#insights-products').innerText(), 'Water')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('#insights-products')
        .locator('xpath=ancestor::article')
        .getByText('CSV')
        .click(),
    ])
    assert.match(download.suggestedFilename(), /^sales-products-.*-machine-\d+\.csv$/)

    await page.setViewportSize(PHONE)
    for (const url of ['/admin/analytics/insights', `/admin/machines/${lobby.id}/planogram`]) {
      await page.goto(url)
      const overflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement
        return root.scrollWidth - root.clientWidth
      })
      assert.isAtMost(overflow, 0, `${url} scrolls sideways at 390 px`)
    }
    await page.goto('/admin/analytics/insights')
    await page.screenshot({ path: 'tmp/screenshots/insights-phone.png', fullPage: true })
    await page.goto(`/admin/machines/${lobby.id}/planogram`)
    await page.screenshot({
      path: 'tmp/screenshots/planogram-suggestions-phone.png',
      fullPage: true,
    })
  }).timeout(60_000)
})
