import { test } from '@japa/runner'
import { PaymentStatus } from '#enums/payment_status'
import Order from '#models/order'
import Payment from '#models/payment'
import Slot from '#models/slot'
import { MachineFactory } from '#database/factories/machine_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice } from '#tests/helpers/device'
import { countRows, paymentRow, useFakeRazorpay } from '#tests/helpers/payments'
import { formKey, getPage, postForm, postJson } from '#tests/functional/shopper/page_helpers'

test.group('Shopper page: top-ups on the demo driver', (group) => {
  group.each.setup(truncateAll)

  test('a preset button credits the wallet at once and comes back with a notice', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper({ balancePaise: 500 })

    const response = await postForm(client, user, `/m/${machine.code}/top_up`, {
      amount: '100',
      idempotency_key: formKey(),
    })

    response.assertStatus(302)
    response.assertHeader('location', `/m/${machine.code}`)
    response.assertFlashMessage('toppedUpPaise', 10_000)
    assert.equal(await balanceOf(user.id), 10_500)
    assert.deepEqual(await ledgerDiscrepancies(), [])

    const page = await getPage(client, user, `/m/${machine.code}`).withFlashMessages(
      response.flashMessages()
    )
    page.assertTextIncludes('₹100.00 added to your wallet.')
    page.assertTextIncludes('₹105.00')
  })

  test('the same form submitted twice credits once', async ({ client, assert }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper()
    const fields = { amount: '200', idempotency_key: formKey() }

    await postForm(client, user, `/m/${machine.code}/top_up`, fields)
    const again = await postForm(client, user, `/m/${machine.code}/top_up`, fields)

    again.assertStatus(302)
    assert.equal(await balanceOf(user.id), 20_000)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
  })

  test('a custom amount in rupees is converted by its digits', async ({ client, assert }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper()

    await postForm(client, user, `/m/${machine.code}/top_up`, {
      amount: '49.90',
      idempotency_key: formKey(),
    })
    await postForm(client, user, `/m/${machine.code}/top_up`, {
      amount: '₹ 1,000.5',
      idempotency_key: formKey(),
    })

    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => row.amountPaise),
      [4990, 100_050]
    )
  })

  test('refuses amounts that are not rupees, too small or too large, next to the field', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper()
    const before = await snapshot()

    for (const [amount, message] of [
      ['', 'Enter an amount in rupees.'],
      ['abc', 'Enter an amount in rupees, for example 150 or 99.50.'],
      ['10.999', 'Enter an amount in rupees, for example 150 or 99.50.'],
      ['-5', 'Enter an amount in rupees, for example 150 or 99.50.'],
      ['0.50', 'The smallest top-up is ₹1.'],
      ['100001', 'The largest top-up is ₹1,00,000.'],
    ]) {
      const response = await postForm(client, user, `/m/${machine.code}/top_up`, {
        amount,
        idempotency_key: formKey(),
      })
      response.assertStatus(302)
      assert.deepEqual(
        response.flashMessage('inputErrorsBag.amount'),
        [message],
        `amount ${JSON.stringify(amount)}`
      )
    }
    assert.deepEqual(await snapshot(), before)
  })
})

test.group('Shopper page: card payments through Razorpay Checkout', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('the machine page loads Razorpay Checkout, and only then', async ({ client, assert }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper()

    const response = await getPage(client, user, `/m/${machine.code}`)

    response.assertTextIncludes(
      '<script src="https://checkout.razorpay.com/v1/checkout.js" defer></script>'
    )
    response.assertTextIncludes('data-driver="razorpay"')
    assert.equal(
      [...response.text().matchAll(/<script src="https?:\/\//g)].length,
      1,
      'no other external script'
    )
  })

  test('a top-up hands the script Checkout options; the verified payment credits the wallet once', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper({ balancePaise: 500 })

    const opened = await postJson(client, user, `/m/${machine.code}/top_up`, {
      amount: '150',
      idempotency_key: formKey(),
    })

    opened.assertStatus(200)
    const { payment, checkout } = opened.body()
    assert.deepEqual(checkout, {
      key: fake.keyId,
      order_id: payment.provider_order_id,
      amount: 15_000,
      currency: 'INR',
      name: 'Vendora',
      description: 'Wallet top-up',
    })
    assert.notInclude(JSON.stringify(opened.body()), fake.keySecret)
    assert.equal(await balanceOf(user.id), 500)

    const paid = fake.simulateCheckout(checkout.order_id)
    const fields = {
      razorpay_order_id: paid.razorpay_order_id,
      razorpay_payment_id: paid.razorpay_payment_id,
      razorpay_signature: paid.razorpay_signature,
    }
    const verified = await postJson(client, user, `/m/${machine.code}/payments/verify`, fields)

    verified.assertStatus(200)
    assert.equal(verified.body().redirect, `/m/${machine.code}`)
    verified.assertFlashMessage('toppedUpPaise', 15_000)
    assert.equal(await balanceOf(user.id), 15_500)

    const replayed = await postJson(client, user, `/m/${machine.code}/payments/verify`, fields)
    replayed.assertStatus(200)
    assert.equal(await balanceOf(user.id), 15_500)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('a forged Checkout response is refused with 400 and changes nothing', async ({
    client,
    assert,
  }) => {
    const machine = await MachineFactory.create()
    const { user } = await createShopper()
    const opened = await postJson(client, user, `/m/${machine.code}/top_up`, {
      amount: '100',
      idempotency_key: formKey(),
    })
    const payment = fake.pay(opened.body().checkout.order_id)
    const forged = fake.checkoutResponse(payment, 'not-the-key-secret')
    const before = await snapshot()

    const response = await postJson(client, user, `/m/${machine.code}/payments/verify`, {
      ...forged,
    })

    response.assertStatus(400)
    assert.equal(response.body().errors[0].code, 'invalid_signature')
    assert.deepEqual(await snapshot(), before)
  })

  test('pay per vend: Checkout options with the unit held; closing Checkout puts it back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: 4500,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user } = await createShopper()

    const opened = await postJson(client, user, `/m/${machine.code}/pay`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })

    opened.assertStatus(200)
    const { payment, checkout } = opened.body()
    assert.equal(checkout.amount, 4500)
    assert.equal(payment.status, PaymentStatus.Created)
    assert.equal(
      (await Slot.findOrFail(slot.id)).quantity,
      2,
      'the unit is held while the shopper pays'
    )

    const cancelled = await postJson(
      client,
      user,
      `/m/${machine.code}/payments/${payment.id}/cancel`,
      {}
    )

    cancelled.assertStatus(200)
    assert.equal(cancelled.body().payment.status, PaymentStatus.Failed)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    assert.equal((await paymentRow(payment.id)).failureReason, 'cancelled')
  })

  test('pay per vend: the verified payment becomes an order and the script goes to its page', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, device } = await createOnlineMachine({ pricePaise: 4500 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user } = await createShopper({ balancePaise: 700 })
    const opened = await postJson(client, user, `/m/${machine.code}/pay`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })
    const paid = fake.simulateCheckout(opened.body().checkout.order_id)

    const verified = await postJson(client, user, `/m/${machine.code}/payments/verify`, {
      razorpay_order_id: paid.razorpay_order_id,
      razorpay_payment_id: paid.razorpay_payment_id,
      razorpay_signature: paid.razorpay_signature,
    })

    verified.assertStatus(200)
    const order = await Order.findByOrFail('payment_id', opened.body().payment.id)
    assert.equal(verified.body().redirect, `/m/${machine.code}/orders/${order.id}`)
    assert.equal((await device.nextVend()).order_id, order.id)
    assert.equal(await balanceOf(user.id), 700, 'the wallet is not involved')
  })

  test("cancelling someone else's payment is a 404", async ({ client, assert, cleanup }) => {
    const { machine, product, slot, device } = await createOnlineMachine({ quantity: 3 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user } = await createShopper()
    const { user: other } = await createShopper()
    const opened = await postJson(client, user, `/m/${machine.code}/pay`, {
      item: `${product.id}:1`,
      idempotency_key: formKey(),
    })

    const response = await postJson(
      client,
      other,
      `/m/${machine.code}/payments/${opened.body().payment.id}/cancel`,
      {}
    )

    response.assertStatus(404)
    assert.equal(response.body().errors[0].code, 'not_found')
    assert.equal((await Payment.findOrFail(opened.body().payment.id)).status, PaymentStatus.Created)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 2)
  })

  test('without JavaScript a card payment or top-up explains itself and starts nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({ quantity: 3 })
    cleanup(() => disconnectDevice(device, machine.id))
    const { user } = await createShopper()

    for (const [path, fields] of [
      ['pay', { item: `${product.id}:1`, idempotency_key: formKey() }],
      ['top_up', { amount: '100', idempotency_key: formKey() }],
    ] as const) {
      const response = await postForm(client, user, `/m/${machine.code}/${path}`, fields)
      response.assertStatus(302)
      response.assertHeader('location', `/m/${machine.code}`)
      assert.match(String(response.flashMessage('error')), /needs JavaScript/)
    }
    assert.equal(await countRows('payments'), 0)
    assert.equal((await Slot.findOrFail(slot.id)).quantity, 3)
    assert.lengthOf(fake.orderCalls(), 0)
  })
})
