import { test } from '@japa/runner'
import encryption from '@adonisjs/core/services/encryption'
import { OrderStatus } from '#enums/order_status'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import Product from '#models/product'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, eventually } from '#tests/helpers/device'
import { closeAfter, closeAll } from '#tests/helpers/device_session'
import {
  connectWithTicket,
  formKey,
  getPage,
  liveTicketOf,
  postForm,
} from '#tests/functional/shopper/page_helpers'

/**
 * An online machine selling one ₹25 product (refundable unless told), a
 * shopper with ₹100 who bought it from the page, and the vend command the
 * device received.
 */
async function boughtFromPage(
  client: Parameters<typeof postForm>[0],
  options: { isRefundable?: boolean } = {}
) {
  const online = await createOnlineMachine({
    pricePaise: 2500,
    isRefundable: options.isRefundable ?? true,
  })
  const { user } = await createShopper({ balancePaise: 10_000 })
  const bought = await postForm(client, user, `/m/${online.machine.code}/buy`, {
    item: `${online.product.id}:1`,
    idempotency_key: formKey(),
  })
  bought.assertStatus(302)
  const order = await Order.findByOrFail('user_id', user.id)
  const command = await online.device.nextVend()
  return {
    ...online,
    user,
    order,
    command,
    orderUrl: `/m/${online.machine.code}/orders/${order.id}`,
  }
}

/**
 * A genuine ticket with one character of its signature (the last of its
 * `value.iv.signature` parts) changed to a different one, so the forgery
 * always differs from the original. The first character is changed: all
 * six bits of a base64url digit count there, whereas the last digit of the
 * signature carries padding bits a decoder may ignore.
 */
function tampered(ticket: string): string {
  const cut = ticket.lastIndexOf('.') + 1
  const forged = ticket.slice(0, cut) + (ticket[cut] === 'A' ? 'B' : 'A') + ticket.slice(cut + 1)
  if (forged === ticket) throw new Error('the forged ticket equals the genuine one')
  return forged
}

test.group('Shopper page: an order', (group) => {
  group.each.setup(truncateAll)

  test('shows the progress in words for each step, and follows the vend without JavaScript', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, device, command, orderUrl, user } = await boughtFromPage(client)
    cleanup(() => closeAll(device))

    const sending = await getPage(client, user, orderUrl)
    sending.assertStatus(200)
    sending.assertTextIncludes('Dispensing… watch the tray.')
    sending.assertTextIncludes('data-status="dispensing"')
    sending.assertTextIncludes('<noscript><meta http-equiv="refresh" content="3"></noscript>')
    sending.assertTextIncludes('Wallet balance: <strong id="balance">₹75.00</strong>')
    assert.notInclude(sending.text(), 'Refund ₹25.00', 'nothing to refund before it dropped')

    await device.report(command.command_id, VendResult.Dropped)
    const dropped = await getPage(client, user, orderUrl)
    dropped.assertTextIncludes('Your item dropped. Enjoy!')
    dropped.assertTextIncludes('data-status="completed"')
    dropped.assertTextIncludes('Refund ₹25.00')
    assert.notInclude(dropped.text(), 'http-equiv="refresh"', 'a settled order stops reloading')
    assert.include(dropped.text(), `action="/m/${machine.code}/done"`)
  })

  test('a failed vend reads as refunded to the wallet, with what happened', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, command, orderUrl, user } = await boughtFromPage(client)
    cleanup(() => closeAll(device))

    await device.report(command.command_id, VendResult.Jam)

    const page = await getPage(client, user, orderUrl)
    page.assertTextIncludes('data-status="refunded"')
    page.assertTextIncludes('The machine could not drop your item.')
    page.assertTextIncludes('₹25.00 was refunded to your wallet.')
    page.assertTextIncludes('What happened: the item got stuck.')
    page.assertTextIncludes('₹100.00')
    assert.equal(await balanceOf(user.id), 10_000)
  })

  test('the status panel alone is served for the live page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, orderUrl, user } = await boughtFromPage(client)
    cleanup(() => closeAll(device))

    const response = await getPage(client, user, `${orderUrl}/status`)

    response.assertStatus(200)
    assert.match(response.text().trim(), /^<div class="order-status" data-status="dispensing"/)
    assert.notInclude(response.text(), '<html')
  })

  test("someone else's order, or an order under another machine's address, is a 404", async ({
    client,
    cleanup,
  }) => {
    const { device, orderUrl, order } = await boughtFromPage(client)
    cleanup(() => closeAll(device))
    const { user: stranger } = await createShopper()
    const elsewhere = await MachineFactory.create()

    for (const url of [
      orderUrl,
      `${orderUrl}/status`,
      `/m/${elsewhere.code}/orders/${order.id}`,
      `/m/${elsewhere.code}/orders/99999`,
    ]) {
      const response = await getPage(client, stranger, url)
      response.assertStatus(404)
      response.assertTextIncludes('Nothing here')
    }

    const refund = await postForm(client, stranger, `${orderUrl}/refund`, {})
    refund.assertStatus(404)

    const json = await client
      .get(orderUrl)
      .header('accept', 'application/json')
      .withGuard('shopper')
      .loginAs(stranger)
    json.assertStatus(404)
    json.assertBody({ errors: [{ code: 'not_found', message: 'Order not found.' }] })
  })

  test('refunds a dropped refundable item to the wallet from the page, once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, command, orderUrl, user, order } = await boughtFromPage(client)
    cleanup(() => closeAll(device))
    await device.report(command.command_id, VendResult.Dropped)
    await eventually(
      async () => (await Order.findOrFail(order.id)).status === OrderStatus.Completed
    )

    const refunded = await postForm(client, user, `${orderUrl}/refund`, {})

    refunded.assertStatus(302)
    refunded.assertHeader('location', orderUrl)
    refunded.assertFlashMessage('notice', 'Refunded to your wallet.')
    assert.equal((await Order.findOrFail(order.id)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), 10_000)

    const page = await getPage(client, user, orderUrl)
    page.assertTextIncludes('Refunded.')
    page.assertTextIncludes('₹25.00 was refunded to your wallet.')

    const again = await postForm(client, user, `${orderUrl}/refund`, {})
    again.assertStatus(302)
    again.assertFlashMessage('error', 'This order was already refunded.')
    assert.equal(await balanceOf(user.id), 10_000)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('a product that is not refundable gets no button, and a forced refund is refused on the page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, command, orderUrl, user, order } = await boughtFromPage(client, {
      isRefundable: false,
    })
    cleanup(() => closeAll(device))
    await device.report(command.command_id, VendResult.Dropped)
    await eventually(
      async () => (await Order.findOrFail(order.id)).status === OrderStatus.Completed
    )

    const page = await getPage(client, user, orderUrl)
    assert.notInclude(page.text(), 'Refund ₹25.00')

    const before = await snapshot()
    const forced = await postForm(client, user, `${orderUrl}/refund`, {})
    forced.assertStatus(302)
    forced.assertFlashMessage('error', 'This product cannot be refunded.')
    assert.deepEqual(await snapshot(), before)
    assert.isFalse((await Product.findOrFail(order.productId)).isRefundable)
  })
})

test.group('Shopper page: live order updates', (group) => {
  group.each.setup(truncateAll)

  test("the page's ticket opens the /orders socket and its order_updated events arrive", async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { device, command, orderUrl, user, order } = await boughtFromPage(client)
    opened(device)

    const page = await getPage(client, user, orderUrl)
    const live = opened(await connectWithTicket(liveTicketOf(page.text())))
    await device.report(command.command_id, VendResult.Dropped)

    const completed = await live.waitForUpdate((update) => update.status === OrderStatus.Completed)
    assert.equal(completed.id, order.id)
  })

  test('a forged or foreign ticket is refused', async ({ assert }) => {
    const { user } = await createShopper()
    const genuine = encryption.encrypt({ userId: user.id, purpose: 'shopper-live' }, '1h')
    // The same ticket untouched is let in: the refusal below is the forgery's.
    ;(await connectWithTicket(genuine)).close()
    const tickets = [
      'not-a-ticket',
      encryption.encrypt({ userId: user.id, purpose: 'admin-live' }),
      encryption.encrypt({ userId: 999_999, purpose: 'shopper-live' }),
      tampered(genuine),
      42,
    ]
    for (const ticket of tickets) {
      const error = await connectWithTicket(ticket).then(
        (live) => {
          live.close()
          return null
        },
        (refused: Error) => refused
      )
      assert.equal(error?.message, 'invalid_token', `ticket ${String(ticket).slice(0, 20)}`)
    }
  })

  test("a shopper's ticket never carries another shopper's orders", async ({
    client,
    assert,
    cleanup,
  }) => {
    const opened = closeAfter(cleanup)
    const { device, command, orderUrl, user } = await boughtFromPage(client)
    opened(device)
    const { user: other } = await createShopper()
    const theirs = opened(
      await connectWithTicket(
        encryption.encrypt({ userId: other.id, purpose: 'shopper-live' }, '1h')
      )
    )
    const mine = opened(
      await connectWithTicket(liveTicketOf((await getPage(client, user, orderUrl)).text()))
    )

    await device.report(command.command_id, VendResult.Dropped)
    await mine.waitForUpdate((update) => update.status === OrderStatus.Completed)

    assert.lengthOf(theirs.updates, 0)
  })
})
