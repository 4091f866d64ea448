import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import Machine from '#models/machine'
import Order from '#models/order'
import User from '#models/user'
import { Role } from '#enums/role'
import MachineSimulator from '#services/machine_simulator'
import { MachineFactory, TEST_DEVICE_KEY } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { truncateAll } from '#tests/helpers/database'
import { baseUrl } from '#tests/helpers/server'
import { waitUntilOnline } from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'
import { feedbackRows } from '#tests/helpers/feedback'

/*
 * Playwright setup as in shopper_journey.spec.ts: a phone-sized page and
 * the built-in simulator as the machine's device.
 */

const PHONE = { width: 390, height: 844 }

/**
 * A lobby machine selling Cold Coffee (₹45), its device the simulator with
 * a fixed outcome: `dropRate` 1 always drops, 0 (no jams) never does.
 */
async function simulatedMachine(cleanup: (handler: () => Promise<void>) => void, dropRate: number) {
  const machine = await MachineFactory.merge({
    code: 'lobby-1',
    name: 'Lobby (simulated)',
  }).create()
  const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4500 }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    number: 1,
    productId: coffee.id,
    quantity: 8,
    capacity: 8,
  }).create()
  await connectSimulator(closeAfter(cleanup), machine, dropRate)
  return { machine, coffee }
}

async function connectSimulator(
  opened: ReturnType<typeof closeAfter>,
  machine: Machine,
  dropRate: number
) {
  const simulator = new MachineSimulator({
    url: baseUrl(),
    machine: machine.code,
    key: TEST_DEVICE_KEY,
    dropRate,
    jamRate: 0,
    vendMs: 600,
  })
  opened(simulator)
  await simulator.connect()
  await waitUntilOnline(machine.id)
  return simulator
}

async function phonePage(
  browser: Browser,
  cleanup: (handler: () => Promise<void>) => void,
  options: { javaScriptEnabled?: boolean } = {}
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  })
  cleanup(() => context.close())
  return context.newPage()
}

/**
 * Tops up ₹100 and buys the coffee with the wallet from the machine page;
 * resolves on the order page.
 */
async function buyCoffee(page: Page, machine: Machine) {
  await page.goto(`/m/${machine.code}`)
  await page.getByRole('button', { name: '+ ₹100' }).click()
  await page.assertTextContains('#balance', '₹100.00')
  await page
    .locator('article.product', { hasText: 'Cold Coffee' })
    .getByRole('button', { name: 'Buy with wallet' })
    .click()
  await page.waitForURL(/\/m\/lobby-1\/orders\/\d+$/)
}

test.group('Shopper feedback on a phone', (group) => {
  group.each.setup(truncateAll)

  test('the rating form appears live when the vend drops; the shopper rates it and sees thanks', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { machine } = await simulatedMachine(cleanup, 1)
    const page = await phonePage(browser, cleanup)
    await buyCoffee(page, machine)
    await page.evaluate(() => ((globalThis as any).__sameDocument = true))

    await page.locator('.order-status[data-status="completed"]').waitFor({ timeout: 10_000 })
    const form = page.locator('form.feedback')
    await form.waitFor()
    assert.isTrue(
      await page.evaluate(() => (globalThis as any).__sameDocument === true),
      'the form came with the live update, without a reload'
    )
    await page.screenshot({ path: 'tmp/screenshots/shopper-feedback-form.png', fullPage: true })

    await form.locator('input[name="rating"][value="4"]').check()
    await form.getByLabel('Comment').fill('Nice and cold')
    await form.getByRole('button', { name: 'Send rating' }).click()

    await page.locator('.notice', { hasText: 'Thanks for your feedback!' }).waitFor()
    await page.assertTextContains('#order-feedback', 'Your rating:')
    await page.assertTextContains('#order-feedback blockquote', 'Nice and cold')
    assert.equal(await page.locator('form.feedback').count(), 0, 'rated: the form is gone')
    await page.screenshot({ path: 'tmp/screenshots/shopper-feedback-thanks.png', fullPage: true })

    const shopper = await User.findByOrFail('role', Role.User)
    const order = await Order.findByOrFail('user_id', shopper.id)
    assert.deepEqual(
      (await feedbackRows()).map((row) => [row.orderId, row.rating, row.comment, row.vendFailed]),
      [[order.id, 4, 'Nice and cold', false]]
    )
  })

  test('without JavaScript a shopper whose vend failed rates it 1 star once the page settles', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { machine } = await simulatedMachine(cleanup, 0)
    const page = await phonePage(browser, cleanup, { javaScriptEnabled: false })
    await buyCoffee(page, machine)

    // <noscript><meta refresh> reloads the page until the order settles.
    await page.locator('.order-status[data-status="refunded"]').waitFor({ timeout: 15_000 })
    const form = page.locator('form.feedback')
    await form.locator('input[name="rating"][value="1"]').check()
    await form.getByRole('button', { name: 'Send rating' }).click()

    await page.locator('.notice', { hasText: 'Thanks for your feedback!' }).waitFor()
    await page.assertTextContains('#order-feedback', 'Your rating:')
    assert.deepEqual(
      (await feedbackRows()).map((row) => [row.rating, row.comment, row.vendFailed]),
      [[1, null, true]]
    )
  })
})
