import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import User from '#models/user'
import Order from '#models/order'
import { Role } from '#enums/role'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf } from '#tests/helpers/api'
import {
  connectDevice,
  createMachine,
  disconnectDevice,
  eventually,
  waitUntilOnline,
} from '#tests/helpers/device'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { OrderFactory } from '#database/factories/order_factory'

const PASSWORD = 'correct horse battery'
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 390, height: 844 }

/**
 * A fortnight of older sales on a second machine, so the list pages and
 * the charts have something to show.
 */
async function seedHistory(userId: number) {
  const machine = await MachineFactory.merge({
    code: 'm-lobby',
    name: 'Lobby, ground floor',
  }).create()
  const products = [
    await ProductFactory.merge({ name: 'Masala Chips', pricePaise: 2000 }).create(),
    await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4550 }).create(),
    await ProductFactory.merge({ name: 'Dark Chocolate', pricePaise: 6000 }).create(),
  ]
  const slots = []
  for (const [index, product] of products.entries()) {
    slots.push(
      await SlotFactory.merge({
        machineId: machine.id,
        productId: product.id,
        number: index + 1,
      }).create()
    )
  }
  const today = DateTime.now().startOf('day')
  for (let day = 1; day < 14; day++) {
    for (let n = 0; n < (day * 7) % 5; n++) {
      const which = (day + n) % 3
      await OrderFactory.merge({
        userId,
        machineId: machine.id,
        slotId: slots[which].id,
        slotNumber: which + 1,
        productId: products[which].id,
        pricePaise: products[which].pricePaise,
        status: n === 3 ? OrderStatus.Refunded : OrderStatus.Completed,
        failureReason: n === 3 ? 'jam' : null,
        createdAt: today.minus({ days: day }).plus({ hours: 9 + n }),
      }).create()
    }
  }
}

test.group('Admin orders, shoppers and analytics in a browser', (group) => {
  group.each.setup(truncateAll)

  test('refunds an order, exports the CSV and draws the charts', async ({
    visit,
    client,
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
    const { machine, product, key } = await createMachine({ code: 'm-atrium', pricePaise: 3500 })
    const device = await connectDevice(machine.code, key)
    cleanup(() => disconnectDevice(device, machine.id))
    await waitUntilOnline(machine.id)
    const { user, token } = await createShopper({ balancePaise: 20_000 })
    await seedHistory(user.id)

    // A real purchase: the API, the device's vend command and its result.
    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(201)
    const orderId: number = buy.body().order.id
    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')
    await eventually(async () => (await Order.findOrFail(orderId)).status === OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), 16_500)

    const page = await visit('/admin/login')
    await page.setViewportSize(DESKTOP)
    // Charts then draw their final frame at once (no animation), so the
    // screenshots show the real bars.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/admin')

    // The list, filtered to the shopper, finds the order.
    await page.goto('/admin/orders')
    await page.screenshot({ path: 'tmp/screenshots/orders-list-desktop.png', fullPage: true })
    await page.getByLabel('Shopper').fill(user.username.slice(2, 9))
    await page.locator('select[name="machine"]').selectOption({ label: 'm-atrium' })
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/machine=/)
    assert.equal(await page.locator('#orders-table tbody tr[data-order-id]').count(), 1)
    await page.locator(`tr[data-order-id="${orderId}"] a`, { hasText: `#${orderId}` }).click()

    // Detail, confirmation, refund.
    await page.waitForURL(`**/admin/orders/${orderId}`)
    await page.assertTextContains('#order-status', 'completed')
    await page.assertTextContains('#order-timeline', 'Dropped')
    await page.screenshot({ path: 'tmp/screenshots/orders-detail-desktop.png', fullPage: true })
    await page.locator('#refund-link').click()
    await page.waitForURL(`**/admin/orders/${orderId}/refund`)
    await page.assertTextContains('#confirm-refund', 'Yes, refund ₹35.00')
    await page.screenshot({
      path: 'tmp/screenshots/orders-refund-confirm-desktop.png',
      fullPage: true,
    })
    await page.locator('#confirm-refund').click()
    await page.waitForURL(`**/admin/orders/${orderId}`)
    await page.assertTextContains('.notice', `Order #${orderId} was refunded`)
    await page.assertTextContains('#order-status', 'refunded')
    await page.assertTextContains('#order-timeline', 'Refunded')
    assert.equal(await page.locator('#refund-link').count(), 0)
    assert.equal(await balanceOf(user.id), 20_000)
    await page.screenshot({
      path: 'tmp/screenshots/orders-detail-refunded-desktop.png',
      fullPage: true,
    })

    // CSV export of the filtered list.
    await page.goto(`/admin/orders?machine=${machine.id}`)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#export-csv').click(),
    ])
    assert.match(download.suggestedFilename(), /^orders-\d{8}-\d{6}\.csv$/)
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\n')
    assert.equal(
      csv[0],
      'id,created_at,shopper,machine,slot,product,price,status,failure_reason,is_test'
    )
    assert.lengthOf(csv, 2)
    assert.match(
      csv[1],
      new RegExp(
        `^${orderId},[^,]+,${user.username},m-atrium,1,Test snack,35\\.00,refunded,,false$`
      )
    )

    // Shopper detail, and a manual deduction through its form.
    await page.goto('/admin/shoppers')
    await page.getByLabel('Search by username').fill(user.username.toUpperCase())
    await page.getByRole('button', { name: 'Search' }).click()
    await page.locator(`tr[data-shopper-id="${user.id}"] a`).click()
    await page.waitForURL(`**/admin/shoppers/${user.id}`)
    await page.assertTextContains('#shopper-balance', '₹200.00')
    await page.assertTextContains('#ledger-table', 'refund')
    await page.getByLabel('Deduct (−)').check()
    await page.getByLabel('Amount (₹)').fill('5.50')
    await page.getByLabel('Reason').fill('Returned coin jam credit')
    await page.getByRole('button', { name: 'Post adjustment' }).click()
    await page.assertTextContains('.notice', `Deducted from ${user.username}'s wallet.`)
    await page.assertTextContains('#shopper-balance', '₹194.50')
    await page.assertTextContains(
      '#ledger-table tr[data-kind="adjustment"]',
      'Returned coin jam credit'
    )
    assert.equal(await balanceOf(user.id), 19_450)
    await page.screenshot({ path: 'tmp/screenshots/shoppers-detail-desktop.png', fullPage: true })
    await page.goto('/admin/shoppers')
    await page.screenshot({ path: 'tmp/screenshots/shoppers-list-desktop.png', fullPage: true })

    // Analytics: the charts are drawn on their canvases.
    await page.goto('/admin/analytics')
    const drawn = () =>
      page.evaluate(() =>
        ['chart-days', 'chart-products', 'chart-machines'].map((id) => {
          // The page's globals; the test's TypeScript has no DOM types.
          const { document, Chart } = globalThis as any
          const canvas = document.getElementById(id)
          if (!canvas || !Chart?.getChart(canvas)) return 0
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
          let painted = 0
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++
          return painted
        })
      )
    await eventually(async () => (await drawn()).every((painted) => painted > 500))
    await page.screenshot({ path: 'tmp/screenshots/analytics-desktop.png', fullPage: true })

    // The same pages at phone width.
    await page.setViewportSize(PHONE)
    // Long lists are shot one screen high; detail pages whole.
    for (const [url, name, fullPage] of [
      ['/admin/orders', 'orders-list-phone', false],
      [`/admin/orders/${orderId}`, 'orders-detail-phone', true],
      ['/admin/shoppers', 'shoppers-list-phone', false],
      [`/admin/shoppers/${user.id}`, 'shoppers-detail-phone', true],
      ['/admin/analytics', 'analytics-phone', true],
    ] as const) {
      await page.goto(url)
      if (name.startsWith('analytics'))
        await eventually(async () => (await drawn()).every((painted) => painted > 200))
      const overflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement
        return root.scrollWidth - root.clientWidth
      })
      assert.isAtMost(overflow, 0, `${url} scrolls sideways at 390 px`)
      await page.screenshot({ path: `tmp/screenshots/${name}.png`, fullPage })
    }
  }).timeout(60_000)
})
