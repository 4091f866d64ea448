import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import { PaymentStatus } from '#enums/payment_status'
import Machine from '#models/machine'
import Order from '#models/order'
import Payment from '#models/payment'
import VendSweeper from '#jobs/vend_sweeper'
import { dbTimestamp } from '#services/db_helpers'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import { formKey, getPage, postForm } from '#tests/functional/shopper/page_helpers'

/**
 * An online machine (a test device connected) selling one product at ₹25
 * from slot 1, disconnected when the test ends.
 */
async function onlineMachine(
  cleanup: (handler: () => Promise<void>) => void,
  options: { quantity?: number; pricePaise?: number } = {}
) {
  const online = await createOnlineMachine({
    pricePaise: options.pricePaise ?? 2500,
    quantity: options.quantity ?? 5,
  })
  cleanup(() => disconnectDevice(online.device, online.machine.id))
  return { ...online, item: `${online.product.id}:1` }
}

test.group('Shopper page: buying with the wallet', (group) => {
  group.each.setup(truncateAll)

  test('a form buy debits the wallet, sends the vend and opens the order page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device, item } = await onlineMachine(cleanup)
    const { user } = await createShopper({ balancePaise: 10_000 })

    const response = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })

    response.assertStatus(302)
    const order = await Order.findByOrFail('user_id', user.id)
    response.assertHeader('location', `/m/${machine.code}/orders/${order.id}`)
    assert.equal(order.productId, product.id)
    assert.equal(order.pricePaise, 2500)
    assert.isNull(order.paymentId)
    assert.equal(await balanceOf(user.id), 7500)
    assert.equal((await device.nextVend()).order_id, order.id)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('the same form submitted twice buys once', async ({ client, assert, cleanup }) => {
    const { machine, device, item } = await onlineMachine(cleanup)
    const { user } = await createShopper({ balancePaise: 10_000 })
    const fields = { item, idempotency_key: formKey() }

    const first = await postForm(client, user, `/m/${machine.code}/buy`, fields)
    const second = await postForm(client, user, `/m/${machine.code}/buy`, fields)

    first.assertStatus(302)
    second.assertStatus(302)
    assert.equal(second.header('location'), first.header('location'))
    assert.lengthOf(await Order.query().where('user_id', user.id), 1)
    assert.equal(await balanceOf(user.id), 7500)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === 'purchase'),
      1
    )
    await device.nextVend()
    assert.lengthOf(device.commands, 1)

    // A new render of the page carries a new key: that is a second buy.
    const again = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    again.assertStatus(302)
    assert.equal(await balanceOf(user.id), 5000)
  })

  test('a short balance comes back as "Top up first" and changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, item } = await onlineMachine(cleanup, { pricePaise: 4500 })
    const { user } = await createShopper({ balancePaise: 2000 })
    const before = await snapshot()

    const response = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })

    response.assertStatus(302)
    response.assertHeader('location', `/m/${machine.code}`)
    response.assertFlashMessage(
      'error',
      'Your balance is too low for this purchase. Top up and try again.'
    )
    response.assertFlashMessage('errorCode', 'insufficient_balance')
    assert.deepEqual(await snapshot(), before)

    // The page shows it with a way to the top-up buttons.
    const page = await getPage(client, user, `/m/${machine.code}`).withFlashMessages(
      response.flashMessages()
    )
    page.assertTextIncludes('Your balance is too low for this purchase.')
    page.assertTextIncludes('<a href="#top-up">Top up first</a>')
  })

  test('sold out, offline and unknown products come back as messages, never an error page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, item } = await onlineMachine(cleanup, { quantity: 0 })
    const { user } = await createShopper({ balancePaise: 10_000 })
    const before = await snapshot()

    const soldOut = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    soldOut.assertStatus(302)
    soldOut.assertFlashMessage('errorCode', 'out_of_stock')

    const notHere = await postForm(client, user, `/m/${machine.code}/buy`, {
      item: `${product.id + 1000}:1`,
      idempotency_key: formKey(),
    })
    notHere.assertStatus(404)
    notHere.assertTextIncludes('Nothing here')

    const tampered = await postForm(client, user, `/m/${machine.code}/buy`, {
      item: 'coffee please',
      idempotency_key: formKey(),
    })
    tampered.assertStatus(302)
    assert.property(tampered.flashMessage('inputErrorsBag'), 'item')

    await db.from('machines').where('id', machine.id).update({ status: 'offline' })
    const offline = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    offline.assertStatus(302)
    offline.assertFlashMessage('errorCode', 'machine_offline')
    offline.assertFlashMessage('error', 'This machine is not online right now.')

    assert.deepEqual(await snapshot(), before)
  })

  test('a refused buy goes back to the page it came from', async ({ client, cleanup }) => {
    const { machine, item } = await onlineMachine(cleanup, { quantity: 0 })
    const { user } = await createShopper({ balancePaise: 10_000 })

    const response = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    }).header(
      'referer',
      `http://${process.env.HOST}:${process.env.PORT}/m/${machine.code}/orders/1`
    )

    response.assertHeader('location', `/m/${machine.code}/orders/1`)
  })

  test('a buy claims the machine for the shopper; another shopper is told it is busy', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, item } = await onlineMachine(cleanup)
    const { user: first } = await createShopper({ balancePaise: 10_000 })
    const { user: second } = await createShopper({ balancePaise: 10_000 })

    const bought = await postForm(client, first, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    bought.assertStatus(302)
    const held = await Machine.findOrFail(machine.id)
    assert.equal(held.sessionUserId, first.id)
    assert.isAbove(held.sessionExpiresAt!.toMillis(), Date.now())

    const before = await snapshot()
    const refused = await postForm(client, second, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    refused.assertStatus(302)
    refused.assertFlashMessage('errorCode', 'machine_busy')
    assert.match(
      String(refused.flashMessage('error')),
      /^Someone else is using this machine right now\. Try again in about/
    )
    assert.deepEqual(await snapshot(), before)

    const page = await getPage(client, second, `/m/${machine.code}`)
    page.assertTextIncludes('In use by another shopper')

    // "I'm done" frees it for the next shopper at once.
    await postForm(client, first, `/m/${machine.code}/done`, {})
    const next = await postForm(client, second, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    next.assertStatus(302)
    assert.match(next.header('location')!, /\/orders\/\d+$/)
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, second.id)
  })

  test('a machine that requires its display code refuses a wrong one next to the field, and takes the right one', async ({
    client,
    assert,
    cleanup,
  }) => {
    // Only the test sets the code: the sweeper would rotate it.
    const sweeper = await app.container.make(VendSweeper)
    await sweeper.stop()
    cleanup(async () => sweeper.start())
    const { machine, item } = await onlineMachine(cleanup)
    const { user } = await createShopper({ balancePaise: 10_000 })
    await db
      .from('machines')
      .where('id', machine.id)
      .update({
        requires_display_code: true,
        display_code: '4821',
        display_code_expires_at: dbTimestamp(db.connection(), DateTime.now().plus({ minutes: 5 })),
      })
    const before = await snapshot()

    const missing = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      idempotency_key: formKey(),
    })
    missing.assertStatus(302)
    missing.assertFlashMessage('errorCode', 'invalid_display_code')
    assert.deepEqual(missing.flashMessage('inputErrorsBag'), {
      display_code: ["Enter the code shown on the machine's display."],
    })

    const wrong = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      display_code: '1111',
      idempotency_key: formKey(),
    })
    wrong.assertFlashMessage('errorCode', 'invalid_display_code')
    // What was typed comes back in the field; the form key does not.
    assert.equal(wrong.flashMessage('display_code'), '1111')
    assert.isUndefined(wrong.flashMessage('idempotency_key'))
    assert.deepEqual(await snapshot(), before)

    const page = await getPage(client, user, `/m/${machine.code}`).withFlashMessages(
      wrong.flashMessages()
    )
    page.assertTextIncludes('aria-invalid="true"')
    page.assertTextIncludes('value="1111"')
    page.assertTextIncludes('This code does not match the machine')

    const right = await postForm(client, user, `/m/${machine.code}/buy`, {
      item,
      display_code: ' 4821 ',
      idempotency_key: formKey(),
    })
    right.assertStatus(302)
    assert.match(right.header('location')!, /\/orders\/\d+$/)
    assert.equal(await balanceOf(user.id), 7500)
  })
})

test.group('Shopper page: paying per vend on the demo driver', (group) => {
  group.each.setup(truncateAll)

  test('a card payment buys the item without touching the wallet and opens the order page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, device, item } = await onlineMachine(cleanup, { pricePaise: 4500 })
    const { user } = await createShopper({ balancePaise: 1000 })
    const fields = { item, idempotency_key: formKey() }

    const response = await postForm(client, user, `/m/${machine.code}/pay`, fields)

    response.assertStatus(302)
    const order = await Order.findByOrFail('user_id', user.id)
    response.assertHeader('location', `/m/${machine.code}/orders/${order.id}`)
    assert.isNotNull(order.paymentId)
    const payment = await Payment.findOrFail(order.paymentId)
    assert.equal(payment.status, PaymentStatus.Paid)
    assert.equal(payment.amountPaise, 4500)
    assert.equal(await balanceOf(user.id), 1000)
    assert.equal((await device.nextVend()).order_id, order.id)
    assert.equal((await Machine.findOrFail(machine.id)).sessionUserId, user.id)

    // Submitted again: the same order, nothing paid twice.
    const again = await postForm(client, user, `/m/${machine.code}/pay`, fields)
    again.assertHeader('location', `/m/${machine.code}/orders/${order.id}`)
    assert.lengthOf(await Payment.query().where('user_id', user.id), 1)
    assert.lengthOf(await Order.query().where('user_id', user.id), 1)
  })

  test('the page script gets the order page to go to as JSON', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, item } = await onlineMachine(cleanup)
    const { user } = await createShopper()

    const response = await client
      .post(`/m/${machine.code}/pay`)
      .header('accept', 'application/json')
      .withGuard('shopper')
      .loginAs(user)
      .withCsrfToken()
      .form({ item, idempotency_key: formKey() })

    response.assertStatus(200)
    const order = await Order.findByOrFail('user_id', user.id)
    assert.equal(response.body().redirect, `/m/${machine.code}/orders/${order.id}`)
    assert.equal(response.body().payment.status, PaymentStatus.Paid)
    assert.equal(
      order.status === OrderStatus.Pending || order.status === OrderStatus.Dispensing,
      true
    )
  })

  test('a refused card payment answers the script with the API error shape', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, item } = await onlineMachine(cleanup, { quantity: 0 })
    const { user } = await createShopper()

    const response = await client
      .post(`/m/${machine.code}/pay`)
      .header('accept', 'application/json')
      .withGuard('shopper')
      .loginAs(user)
      .withCsrfToken()
      .form({ item, idempotency_key: formKey() })

    response.assertStatus(409)
    assert.deepEqual(response.body(), {
      errors: [{ code: 'out_of_stock', message: response.body().errors[0].message }],
    })
    assert.lengthOf(await Payment.query(), 0)
  })

  test('a form without a CSRF token is refused', async ({ client, assert, cleanup }) => {
    const { machine, item } = await onlineMachine(cleanup)
    const { user } = await createShopper({ balancePaise: 10_000 })

    const response = await client
      .post(`/m/${machine.code}/buy`)
      .header('accept', 'text/html')
      .withGuard('shopper')
      .loginAs(user)
      .form({ item, idempotency_key: formKey() })
      .redirects(0)

    response.assertStatus(302)
    assert.property(response.flashMessage('errorsBag'), 'E_BAD_CSRF_TOKEN')
    assert.lengthOf(await Order.query(), 0)
  })
})
