import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import { OrderStatus } from '#enums/order_status'
import { PaymentStatus } from '#enums/payment_status'
import Order from '#models/order'
import Payment from '#models/payment'
import Slot from '#models/slot'
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
import { useFakeRazorpay } from '#tests/helpers/payments'
import type { FakeRazorpay } from '#tests/helpers/fake_razorpay'

const PHONE = { width: 390, height: 844 }

/**
 * Stands in for https://checkout.razorpay.com/v1/checkout.js (no network
 * here): a `Razorpay` class that records its options and, on `open()`,
 * either "pays" through the fake Razorpay (the browser gets a response
 * signed with the key secret, as from the real Checkout) or, when the test
 * asked for it, is closed by the shopper (`modal.ondismiss`).
 */
const CHECKOUT_STUB = `
  window.Razorpay = function (options) {
    this.on = function () {}
    this.open = function () {
      window.__checkoutOpened({ order_id: options.order_id, amount: options.amount, key: options.key })
      if (window.__dismissNext) {
        window.__dismissNext = false
        setTimeout(function () { options.modal.ondismiss() }, 0)
        return
      }
      window.__razorpayPays(options.order_id).then(function (response) { options.handler(response) })
    }
  }
`

/**
 * A phone-sized page whose Checkout is the stub, and the options of every
 * Checkout it opened (kept here: the page navigates between them).
 */
async function checkoutPage(
  browser: Browser,
  fake: FakeRazorpay,
  cleanup: (handler: () => Promise<void>) => void
) {
  const opened: { order_id: string; amount: number; key: string }[] = []
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  })
  cleanup(() => context.close())
  await context.route('https://checkout.razorpay.com/v1/checkout.js', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: CHECKOUT_STUB })
  )
  await context.exposeFunction('__razorpayPays', (orderId: string) => {
    // Checkout hands its handler the three signed fields only, not the fake's payment row.
    const { payment, ...response } = fake.simulateCheckout(orderId)
    return response
  })
  await context.exposeFunction('__checkoutOpened', (options: (typeof opened)[number]) =>
    opened.push(options)
  )
  return { page: await context.newPage(), opened }
}

test.group('Shopper page with Razorpay Checkout', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('tops up through Checkout and pays one item by card, after closing Checkout once', async ({
    browser,
    assert,
    cleanup,
  }) => {
    const machine = await MachineFactory.merge({
      code: 'lobby-1',
      name: 'Lobby (simulated)',
    }).create()
    const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4500 }).create()
    const slot = await SlotFactory.merge({
      machineId: machine.id,
      number: 1,
      productId: coffee.id,
      quantity: 3,
      capacity: 8,
    }).create()
    const simulator = new MachineSimulator({
      url: baseUrl(),
      machine: machine.code,
      key: TEST_DEVICE_KEY,
      dropRate: 1,
      vendMs: 500,
    })
    closeAfter(cleanup)(simulator)
    await simulator.connect()
    await waitUntilOnline(machine.id)
    const { page, opened: checkouts } = await checkoutPage(browser, fake, cleanup)

    await page.goto(`/m/${machine.code}`)
    await page.waitForFunction(() => typeof (globalThis as any).Razorpay === 'function')

    // Top-up: Checkout opens with the server's options, the verified payment credits the wallet.
    await page.getByRole('button', { name: '+ ₹100' }).click()
    await page.locator('.notice', { hasText: '₹100.00 added to your wallet.' }).waitFor()
    await page.assertTextContains('#balance', '₹100.00')
    const shopper = await User.findByOrFail('role', Role.User)
    assert.equal(shopper.balancePaise, 10_000)

    // Pay per vend, but close Checkout: nothing charged, the unit goes back.
    await page.evaluate(() => ((globalThis as any).__dismissNext = true))
    await page
      .locator('article.product', { hasText: 'Cold Coffee' })
      .getByRole('button', { name: 'Pay ₹45 by card' })
      .click()
    await page
      .locator('#script-alert', { hasText: 'Payment cancelled. Nothing was charged.' })
      .waitFor()
    const cancelled = await Payment.query().where('purpose', 'vend').firstOrFail()
    assert.equal((await Payment.findOrFail(cancelled.id)).status, PaymentStatus.Failed)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    await page.screenshot({
      path: 'tmp/screenshots/shopper-checkout-cancelled.png',
      fullPage: true,
    })

    // Pay again: a new payment (the form got a new key), then the order's live page.
    await page
      .locator('article.product', { hasText: 'Cold Coffee' })
      .getByRole('button', { name: 'Pay ₹45 by card' })
      .click()
    await page.waitForURL(/\/m\/lobby-1\/orders\/\d+$/)
    await page.locator('.order-status[data-status="completed"]').waitFor({ timeout: 10_000 })
    await page.assertTextContains('.steps', '₹45.00 by card')
    await page.assertTextContains('#balance', '₹100.00')

    assert.deepEqual(
      checkouts.map((checkout) => checkout.amount),
      [10_000, 4500, 4500]
    )
    assert.isTrue(checkouts.every((checkout) => checkout.key === fake.keyId))
    const payments = await Payment.query().where('purpose', 'vend').orderBy('id')
    assert.deepEqual(
      payments.map((payment) => payment.status),
      [PaymentStatus.Failed, PaymentStatus.Paid]
    )
    const order = await Order.findByOrFail('payment_id', payments[1].id)
    assert.equal(order.status, OrderStatus.Completed)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 2)
    await page.screenshot({ path: 'tmp/screenshots/shopper-card-dropped.png', fullPage: true })
  })
})
