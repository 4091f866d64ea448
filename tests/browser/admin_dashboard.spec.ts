import { test } from '@japa/runner'
import User from '#models/user'
import { Role } from '#enums/role'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { connectDevice, createMachine, waitUntilOnline } from '#tests/helpers/device'

const PASSWORD = 'correct horse battery'

test.group('Admin dashboard in a browser', (group) => {
  group.each.setup(truncateAll)

  test('logs in and sees a new order appear live, without a reload', async ({
    visit,
    client,
    assert,
  }) => {
    await User.create({
      username: 'admin-ops',
      role: Role.Admin,
      email: 'ops@example.com',
      password: PASSWORD,
      balancePaise: 0,
    })
    const { machine, product, key } = await createMachine({ pricePaise: 4000 })
    const device = await connectDevice(machine.code, key)
    await waitUntilOnline(machine.id)
    const { token } = await createShopper({ balancePaise: 10_000 })

    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.locator('#live-state.connected').waitFor()
    await page.screenshot({ path: 'tmp/screenshots/dashboard.png', fullPage: true })
    await page.assertTextContains('#recent-orders', 'No orders yet.')

    // Mark the page, so a reload would be noticed.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))

    const buy = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(token)
      .json({ machine: machine.code })
    buy.assertStatus(201)
    const orderId = buy.body().order.id

    await page.locator(`#recent-orders tr[data-order-id="${orderId}"]`).waitFor()
    await page.assertTextContains(`#recent-orders tr[data-order-id="${orderId}"]`, 'Test snack')
    await page.assertTextContains('[data-stat="orders"]', '1')

    const command = await device.nextVend()
    await device.report(command.command_id, 'dropped')
    await page.locator(`#recent-orders tr[data-order-id="${orderId}"] .badge.completed`).waitFor()
    await page.assertTextContains('[data-stat="sales"]', '40.00')
    assert.isTrue(await page.evaluate(() => (globalThis as any).__sameDocument === true))
    device.close()
  })
})
