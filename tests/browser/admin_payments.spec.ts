import { test } from '@japa/runner'
import type { Page } from 'playwright'
import User from '#models/user'
import { Role } from '#enums/role'
import { CardRefundStatus } from '#enums/card_refund_status'
import { OrderStatus } from '#enums/order_status'
import { truncateAll } from '#tests/helpers/database'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'
import { OrderFactory } from '#database/factories/order_factory'
import { PaymentEventFactory, PaymentFactory } from '#database/factories/payment_factory'

const PASSWORD = 'correct horse battery'
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 390, height: 844 }

/**
 * Saves `tmp/screenshots/payments-<name>-desktop.png` and `-phone.png` and
 * returns the page's content width at phone size (px).
 */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP)
  await page.screenshot({ path: `tmp/screenshots/payments-${name}-desktop.png`, fullPage: true })
  await page.setViewportSize(PHONE)
  await page.screenshot({ path: `tmp/screenshots/payments-${name}-phone.png`, fullPage: true })
  const width = await page.evaluate(
    () => (globalThis as any).document.documentElement.scrollWidth as number
  )
  await page.setViewportSize(DESKTOP)
  return width
}

test.group('Admin payments in a browser', (group) => {
  group.each.setup(truncateAll)

  test('finds a card refund needing attention and reads its webhook events, at desktop and phone width', async ({
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
    const machine = await MachineFactory.merge({ code: 'lobby-01', name: 'Lobby snacks' }).create()
    const coffee = await ProductFactory.merge({ name: 'Cold Coffee', pricePaise: 4550 }).create()
    const slot = await SlotFactory.merge({
      machineId: machine.id,
      productId: coffee.id,
      number: 3,
    }).create()
    const shopper = await UserFactory.merge({ username: 'Brave-Otter-12' }).create()
    await PaymentFactory.merge({ userId: shopper.id, amountPaise: 20000 }).createMany(3)
    await PaymentFactory.apply('created').merge({ userId: shopper.id }).create()
    const failed = await PaymentFactory.apply('vend')
      .merge({
        userId: shopper.id,
        machineId: machine.id,
        slotId: slot.id,
        productId: coffee.id,
        amountPaise: 4550,
        refundStatus: CardRefundStatus.Failed,
        refundError:
          'BAD_REQUEST_ERROR: The refund amount provided is greater than amount captured',
      })
      .create()
    const order = await OrderFactory.merge({
      userId: shopper.id,
      machineId: machine.id,
      slotId: slot.id,
      slotNumber: 3,
      productId: coffee.id,
      pricePaise: 4550,
      status: OrderStatus.Refunded,
      paymentId: failed.id,
    }).create()
    await PaymentEventFactory.merge({
      paymentId: failed.id,
      providerOrderId: failed.providerOrderId,
      providerPaymentId: failed.providerPaymentId,
      outcome: 'vended',
    }).create()
    await PaymentEventFactory.merge({
      event: 'refund.failed',
      providerPaymentId: failed.providerPaymentId,
      outcome: 'error',
      error: 'refund failed at the bank',
      deliveries: 4,
    }).create()

    const page = await visit('/admin/login')
    await page.getByLabel('Email').fill('ops@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()

    await page.getByRole('link', { name: 'Payments', exact: true }).first().click()
    await page.waitForURL('**/admin/payments')
    assert.lengthOf(await page.locator('#payments-table tbody tr[data-payment-id]').all(), 5)
    assert.isAtMost(await screenshots(page, 'list'), PHONE.width)

    await page.locator('select[name="refund"]').selectOption('attention')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL((url) => url.searchParams.get('refund') === 'attention')
    const rows = page.locator('#payments-table tbody tr[data-payment-id]')
    assert.lengthOf(await rows.all(), 1)

    await rows
      .first()
      .getByRole('link', { name: `#${failed.id}` })
      .click()
    await page.assertTextContains('#card-refund', 'greater than amount captured')
    await page.assertTextContains('#payment-order', `Order #${order.id}`)
    await page.locator('details.payment-event').last().locator('summary').click()
    await page.assertTextContains(
      'details.payment-event[open] pre.payload',
      '"event": "refund.failed"'
    )
    assert.isAtMost(await screenshots(page, 'detail'), PHONE.width)

    await page.goto('/admin/payments/events')
    assert.lengthOf(await page.locator('#payment-events-table tbody tr[data-event-id]').all(), 2)
    assert.isAtMost(await screenshots(page, 'events'), PHONE.width)

    await page.goto(`/admin/orders/${order.id}`)
    await page.getByRole('link', { name: `payment #${failed.id}` }).click()
    await page.waitForURL(`**/admin/payments/${failed.id}`)

    await page.goto(`/admin/shoppers/${shopper.id}`)
    assert.lengthOf(await page.locator('#shopper-payments tr[data-payment-id]').all(), 5)
    assert.isAtMost(await screenshots(page, 'shopper'), PHONE.width)
  })
})
