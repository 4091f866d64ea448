import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import { OrderStatus } from '#enums/order_status'
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
import { eventually, waitUntilOnline } from '#tests/helpers/device'
import { closeAfter } from '#tests/helpers/device_session'

/**
 * A phone (iPhone 12-14 size): the page must work, and fit, at this width.
 */
const PHONE = { width: 390, height: 844 }

/**
 * A machine like `demo-1`: chips (not refundable) and coffee (refundable),
 * driven by the built-in simulator (the real `/devices` protocol) with a
 * fixed outcome: `dropRate` 1 always drops, 0 (with no jams) never does.
 */
async function simulatedMachine(cleanup: (handler: () => Promise<void>) => void, dropRate: number) {
  const stocked = await lobbyMachine()
  await connectSimulator(closeAfter(cleanup), stocked.machine, dropRate)
  return stocked
}

/**
 * The lobby machine's row and stock (`chipsQuantity` chips, 8 coffees),
 * offline: no device connected yet.
 */
async function lobbyMachine(chipsQuantity = 8) {
  const machine = await MachineFactory.merge({
    code: 'lobby-1',
    name: 'Lobby (simulated)',
    location: 'Ground floor lobby',
  }).create()
  const chips = await ProductFactory.merge({
    name: 'Masala Chips',
    description: 'Crunchy potato chips, 52 g',
    pricePaise: 2000,
  })
    .apply('nonRefundable')
    .create()
  const coffee = await ProductFactory.merge({
    name: 'Cold Coffee',
    description: 'Chilled coffee, 180 ml can',
    pricePaise: 4500,
  }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    number: 1,
    productId: chips.id,
    quantity: chipsQuantity,
    capacity: 8,
  }).create()
  await SlotFactory.merge({
    machineId: machine.id,
    number: 2,
    productId: coffee.id,
    quantity: 8,
    capacity: 8,
  }).create()
  return { machine, chips, coffee }
}

/**
 * Connects the built-in simulator as `machine`'s device and waits until
 * the machine is online. Closed at the end of the test through `opened`
 * (see `closeAfter`), or earlier by the caller (the machine then goes
 * offline).
 */
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
    // Long enough that the order page, opened by the buy's redirect, still
    // finds the vend dispensing on a machine busy with parallel test workers
    // (1.2 s was not, once the buy itself got faster).
    vendMs: 3000,
  })
  opened(simulator)
  await simulator.connect()
  await waitUntilOnline(machine.id)
  return simulator
}

/**
 * A fresh phone-sized browser context (its own cookies: a new shopper).
 */
async function phonePage(
  browser: Browser,
  cleanup: (handler: () => Promise<void>) => void
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  })
  cleanup(() => context.close())
  return context.newPage()
}

/**
 * Fails when anything on the page sticks out sideways at phone width.
 */
async function assertFitsPhone(
  page: Page,
  assert: { isAtMost: (a: number, b: number, message?: string) => void }
) {
  const width = await page.evaluate(
    () => (globalThis as any).document.documentElement.scrollWidth as number
  )
  assert.isAtMost(width, PHONE.width, `${page.url()} is ${width}px wide`)
}

/**
 * Marks the current document, so that a reload would be noticed.
 */
async function markDocument(page: Page) {
  await page.evaluate(() => ((globalThis as any).__sameDocument = true))
}

function sameDocument(page: Page) {
  return page.evaluate(() => (globalThis as any).__sameDocument === true)
}

test.group('Shopper journey on a phone (demo driver)', (group) => {
  group.each.setup(truncateAll)

  test('open the machine page, top up, buy, watch it drop live, refund it', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { machine } = await simulatedMachine(cleanup, 1)
    const page = await phonePage(browser, cleanup)

    // The QR code's address: a shopper of their own, no sign-up.
    await page.goto(`/m/${machine.code}`)
    await page.assertTextContains('h1', 'Lobby (simulated)')
    await page.assertTextContains('#machine-status', 'Online')
    await page.assertTextContains('#balance', '₹0.00')
    const shopper = await User.findByOrFail('role', Role.User)
    await page.assertTextContains('#username', shopper.username)
    await page.screenshot({ path: 'tmp/screenshots/shopper-machine.png', fullPage: true })
    await assertFitsPhone(page, assert)

    // Top up ₹100 with the demo driver.
    await page.getByRole('button', { name: '+ ₹100' }).click()
    await page.locator('.notice', { hasText: '₹100.00 added to your wallet.' }).waitFor()
    await page.assertTextContains('#balance', '₹100.00')
    await page.screenshot({ path: 'tmp/screenshots/shopper-topped-up.png', fullPage: true })

    // Buy the refundable coffee with the wallet.
    await page
      .locator('article.product', { hasText: 'Cold Coffee' })
      .getByRole('button', { name: 'Buy with wallet' })
      .click()
    await page.waitForURL(/\/m\/lobby-1\/orders\/\d+$/)
    const order = await Order.findByOrFail('user_id', shopper.id)
    await markDocument(page)
    await page.assertTextContains('.outcome', 'Dispensing… watch the tray.')
    await page.screenshot({ path: 'tmp/screenshots/shopper-dispensing.png', fullPage: true })
    await assertFitsPhone(page, assert)

    // The simulator drops it; the page follows over the socket, no reload.
    await page.locator('.order-status[data-status="completed"]').waitFor({ timeout: 15_000 })
    await page.assertTextContains('.outcome', 'Your item dropped. Enjoy!')
    await page.assertTextContains('#balance', '₹55.00')
    assert.isTrue(await sameDocument(page), 'the page updated live, without reloading')
    await page.screenshot({ path: 'tmp/screenshots/shopper-dropped.png', fullPage: true })

    // Refund it: the money is back in the wallet.
    await page.getByRole('button', { name: 'Refund ₹45.00' }).click()
    await page.locator('.notice', { hasText: 'Refunded to your wallet.' }).waitFor()
    await page.assertTextContains('.outcome', '₹45.00 was refunded to your wallet.')
    await page.assertTextContains('#balance', '₹100.00')
    assert.equal((await Order.findOrFail(order.id)).status, OrderStatus.Refunded)
    await page.screenshot({ path: 'tmp/screenshots/shopper-refunded.png', fullPage: true })

    // Back on the machine page: the balance, and the order in the list.
    await page.getByRole('button', { name: 'Buy more' }).click()
    await page.assertTextContains('#balance', '₹100.00')
    await page.assertTextContains(`#orders-here [data-order-id="${order.id}"]`, 'Refunded')
    await page.assertTextContains('.session-line', 'This machine is yours for now.')
    await assertFitsPhone(page, assert)
    await page.screenshot({ path: 'tmp/screenshots/shopper-machine-after.png', fullPage: true })

    // "I'm done" hands the machine to the next shopper.
    await page.getByRole('button', { name: "I'm done" }).click()
    await page
      .locator('.notice', { hasText: 'The machine is free for the next shopper.' })
      .waitFor()
    assert.isNull((await Machine.findOrFail(machine.id)).sessionUserId)
  })

  test('a vend that does not drop shows the failure and the automatic refund live', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { machine } = await simulatedMachine(cleanup, 0)
    const page = await phonePage(browser, cleanup)
    await page.goto(`/m/${machine.code}`)
    await page.getByRole('button', { name: '+ ₹50' }).click()
    await page.assertTextContains('#balance', '₹50.00')

    await page
      .locator('article.product', { hasText: 'Masala Chips' })
      .getByRole('button', { name: 'Buy with wallet' })
      .click()
    await page.waitForURL(/\/orders\/\d+$/)
    await markDocument(page)

    await page.locator('.order-status[data-status="refunded"]').waitFor({ timeout: 15_000 })
    await page.assertTextContains('.outcome', 'The machine could not drop your item.')
    await page.assertTextContains('.outcome', '₹20.00 was refunded to your wallet.')
    await page.assertTextContains('.outcome', 'What happened: nothing dropped from the slot.')
    await page.assertTextContains('#balance', '₹50.00')
    assert.isTrue(await sameDocument(page), 'the failure arrived live, without reloading')
    await assertFitsPhone(page, assert)
    await page.screenshot({ path: 'tmp/screenshots/shopper-failed-refunded.png', fullPage: true })

    const shopper = await User.findByOrFail('role', Role.User)
    await eventually(
      async () =>
        (await Order.query().where('user_id', shopper.id).where('status', OrderStatus.Refunded))
          .length === 1
    )
  })

  test('without JavaScript the page still browses, tops up and buys, and the order page follows the vend by reloading', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const { machine } = await simulatedMachine(cleanup, 1)
    const context = await browser.newContext({
      baseURL: baseUrl(),
      viewport: PHONE,
      javaScriptEnabled: false,
    })
    cleanup(() => context.close())
    const page = await context.newPage()

    await page.goto(`/m/${machine.code}`)
    await page.getByRole('button', { name: '+ ₹200' }).click()
    await page.assertTextContains('#balance', '₹200.00')
    await page
      .locator('article.product', { hasText: 'Cold Coffee' })
      .getByRole('button', { name: 'Buy with wallet' })
      .click()
    await page.waitForURL(/\/orders\/\d+$/)

    // <noscript><meta refresh> reloads it until the order settles.
    await page.locator('.order-status[data-status="completed"]').waitFor({ timeout: 15_000 })
    await page.assertTextContains('.outcome', 'Your item dropped. Enjoy!')
    await assertFitsPhone(page, assert)
    await page.screenshot({ path: 'tmp/screenshots/shopper-no-js-dropped.png', fullPage: true })
  })

  test('an offline machine offers no buy and says so once, however often it is tapped; it comes back and goes again live', async ({
    browser,
    assert,
    cleanup,
  }) => {
    // The page first: its live socket must be gone before closeAll waits for an empty /orders.
    const opened = closeAfter(cleanup)
    const context = await browser.newContext({
      baseURL: baseUrl(),
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    })
    opened({ close: () => context.close() })
    const page = await context.newPage()
    const { machine } = await lobbyMachine(0)
    const buttons = page.locator('article.product button[name="item"]')
    const coffee = page.locator('article.product', { hasText: 'Cold Coffee' })
    const offlineBanner =
      'This machine is offline right now. You can look around; buying works again once it is back.'

    await page.goto(`/m/${machine.code}`)
    await page.getByRole('button', { name: '+ ₹100' }).click()
    await page.assertTextContains('#balance', '₹100.00')
    await page.assertTextContains('#machine-status', 'Offline')
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [offlineBanner])
    assert.lengthOf(await buttons.all(), 4)
    for (const button of await buttons.all()) assert.isTrue(await button.isDisabled())
    await page.screenshot({ path: 'tmp/screenshots/shopper-machine-offline.png', fullPage: true })

    // Taps on the disabled buttons buy nothing and add no banner.
    await markDocument(page)
    for (let tap = 0; tap < 3; tap++) {
      await coffee.getByRole('button', { name: 'Buy with wallet' }).click({ force: true })
      await coffee.getByRole('button', { name: 'Pay ₹45 by card' }).click({ force: true })
    }
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [offlineBanner])
    assert.isTrue(await sameDocument(page), 'no form was submitted')
    assert.lengthOf(await Order.all(), 0)

    // The machine's device connects: the page follows without a reload.
    const simulator = await connectSimulator(opened, machine, 1)
    await page.locator('#machine-state').waitFor({ state: 'hidden' })
    await page.assertTextContains('#machine-status', 'Online')
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [])
    assert.isTrue(await coffee.getByRole('button', { name: 'Buy with wallet' }).isEnabled())
    assert.isTrue(await coffee.getByRole('button', { name: 'Pay ₹45 by card' }).isEnabled())
    const chips = page.locator('article.product', { hasText: 'Masala Chips' })
    assert.isTrue(
      await chips.getByRole('button', { name: 'Buy with wallet' }).isDisabled(),
      'sold out stays disabled'
    )
    assert.isTrue(await sameDocument(page))
    await page.screenshot({
      path: 'tmp/screenshots/shopper-machine-back-online.png',
      fullPage: true,
    })

    // It goes away again: one banner again, buying off again.
    simulator.close()
    await page.locator('#machine-state').waitFor({ state: 'visible' })
    await page.assertTextContains('#machine-status', 'Offline')
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [offlineBanner])
    for (const button of await buttons.all()) assert.isTrue(await button.isDisabled())

    // And back once more: the buy goes through.
    await connectSimulator(opened, machine, 1)
    await page.locator('#machine-state').waitFor({ state: 'hidden' })
    await coffee.getByRole('button', { name: 'Buy with wallet' }).click()
    await page.waitForURL(/\/m\/lobby-1\/orders\/\d+$/)
    await page.locator('.order-status[data-status="completed"]').waitFor({ timeout: 15_000 })
    await assertFitsPhone(page, assert)
  })

  test('without JavaScript, a buy refused because the machine just went offline shows one banner and no buy buttons', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const context = await browser.newContext({
      baseURL: baseUrl(),
      viewport: PHONE,
      javaScriptEnabled: false,
    })
    opened({ close: () => context.close() })
    const page = await context.newPage()
    const { machine } = await lobbyMachine()
    const simulator = await connectSimulator(opened, machine, 1)

    await page.goto(`/m/${machine.code}`)
    await page.getByRole('button', { name: '+ ₹100' }).click()
    await page.assertTextContains('#machine-status', 'Online')
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [])

    // The page still offers the buy; the machine is gone by the tap.
    simulator.close()
    await eventually(async () => (await Machine.findOrFail(machine.id)).status === 'offline')
    await page
      .locator('article.product', { hasText: 'Cold Coffee' })
      .getByRole('button', { name: 'Buy with wallet' })
      .click()

    await page.assertTextContains('#machine-status', 'Offline')
    assert.deepEqual(await page.locator('.alert:visible').allInnerTexts(), [
      'This machine is offline right now. You can look around; buying works again once it is back.',
    ])
    for (const button of await page.locator('article.product button[name="item"]').all())
      assert.isTrue(await button.isDisabled())
    assert.lengthOf(await Order.all(), 0)
  })
})
