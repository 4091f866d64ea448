import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { OrderStatus } from '#enums/order_status'
import { PaymentStatus } from '#enums/payment_status'
import { CardRefundStatus } from '#enums/card_refund_status'
import Order from '#models/order'
import Payment from '#models/payment'
import Slot from '#models/slot'
import ExpirePaymentHolds from '#actions/payments/expire_payment_holds'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import ListPayments, { REFUND_ATTENTION } from '#actions/payments/list_payments'
import { UserFactory } from '#database/factories/user_factory'
import { truncateAll } from '#tests/helpers/database'
import { createShopper } from '#tests/helpers/shopper'
import {
  assertApiError,
  balanceOf,
  ledgerDiscrepancies,
  ledgerRowsOf,
  snapshot,
} from '#tests/helpers/api'
import { createOnlineMachine, disconnectDevice, eventually } from '#tests/helpers/device'
import { razorpayId, type FakeRazorpay } from '#tests/helpers/fake_razorpay'
import {
  TEST_HOLD_MS,
  countRows,
  deliver,
  paymentEvents,
  paymentRow,
  useFakeRazorpay,
  verify,
} from '#tests/helpers/payments'

const PRICE = 2500

/**
 * `POST /api/v1/products/:id/pay` for `machineCode`.
 */
function pay(client: ApiClient, token: string, productId: number, machineCode: string) {
  return client
    .post(`/api/v1/products/${productId}/pay`)
    .bearerToken(token)
    .json({ machine: machineCode })
}

async function quantityOf(slotId: number): Promise<number> {
  return (await Slot.findOrFail(slotId)).quantity
}

/**
 * The vend sweeper's hold expiry, run as if `TEST_HOLD_MS` and a second
 * had passed.
 */
async function expireHolds(): Promise<number> {
  const expire = await app.container.make(ExpirePaymentHolds)
  return expire.handle(DateTime.now().plus({ milliseconds: TEST_HOLD_MS + 1000 }))
}

/**
 * Waits until payment `paymentId`'s card refund reached `status`.
 */
function refundReaches(paymentId: number, status: CardRefundStatus) {
  return eventually(async () => {
    const row = await paymentRow(paymentId)
    return row.refundStatus === status ? row : null
  })
}

/**
 * A machine online with a device, a shopper with an empty wallet, and a
 * paid-per-vend order dispatched to the device: pays, verifies, and takes
 * the vend command.
 */
async function paidVend(
  client: ApiClient,
  fake: FakeRazorpay,
  cleanup: (handler: () => Promise<void>) => void,
  options: { quantity?: number; isRefundable?: boolean } = {}
) {
  const online = await createOnlineMachine({
    pricePaise: PRICE,
    quantity: options.quantity ?? 5,
    isRefundable: options.isRefundable,
  })
  cleanup(() => disconnectDevice(online.device, online.machine.id))
  const shopper = await createShopper()
  const opened = await pay(client, shopper.token, online.product.id, online.machine.code)
  opened.assertStatus(201)
  const checkout = fake.simulateCheckout(opened.body().checkout.order_id)
  const confirmed = await verify(client, shopper.token, checkout)
  confirmed.assertStatus(200)
  const command = await online.device.nextVend()
  return {
    ...online,
    shopper,
    paymentId: opened.body().payment.id as number,
    checkout,
    confirmed,
    command,
  }
}

async function assertNoWalletMoney(assert: Assert, userId: number) {
  assert.equal(await balanceOf(userId), 0)
  assert.lengthOf(await ledgerRowsOf(userId), 0, 'pay per vend never touches the wallet')
  assert.deepEqual(await ledgerDiscrepancies(), [])
}

/*
 * Pay per vend, for shoppers who would rather not keep a wallet balance:
 * one item paid straight from the card for its exact price, the unit held
 * while the payment is open. A real socket.io device receives the vend and
 * reports what happened; the SDK talks to a fake Razorpay server. Tables
 * are truncated: socket handlers and concurrent requests use their own
 * connections.
 */
test.group('Pay per vend', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  test('holds a unit and opens a Checkout for the exact price, without touching the wallet', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 5,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper({ balancePaise: 10_000 })
    const started = DateTime.now()

    const response = await pay(client, shopper.token, product.id, machine.code)

    response.assertStatus(201)
    const body = response.body()
    const [orderId] = [...fake.orders.keys()]
    assert.isNull(body.order)
    assert.isFalse(body.replayed)
    assert.containsSubset(body.payment, {
      purpose: 'vend',
      provider: 'razorpay',
      status: PaymentStatus.Created,
      amount_paise: PRICE,
      provider_order_id: orderId,
      provider_payment_id: null,
      machine_id: machine.id,
      product_id: product.id,
      refund_status: null,
    })
    const holdEnds = DateTime.fromISO(body.payment.hold_expires_at)
    assert.isAtLeast(
      holdEnds.toMillis(),
      started.plus({ milliseconds: TEST_HOLD_MS - 1000 }).toMillis()
    )
    assert.isAtMost(
      holdEnds.toMillis(),
      DateTime.now()
        .plus({ milliseconds: TEST_HOLD_MS + 1000 })
        .toMillis()
    )
    assert.deepEqual(body.checkout, {
      key: fake.keyId,
      order_id: orderId,
      amount: PRICE,
      currency: 'INR',
      name: 'Vendora',
      description: `${product.name} from ${machine.name}`,
    })
    assert.notInclude(JSON.stringify(body), fake.keySecret)
    assert.equal(fake.orders.get(orderId)!.amount, PRICE)

    assert.equal(await quantityOf(slot.id), 4, 'the unit is held')
    assert.isTrue((await paymentRow(body.payment.id)).stockHeld)
    assert.equal(await balanceOf(shopper.user.id), 10_000)
    assert.lengthOf(await ledgerRowsOf(shopper.user.id), 1)
    assert.equal(await countRows('orders'), 0)
    assert.lengthOf(device.commands, 0)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('vends once the browser confirms the payment, and completes when the item drops', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { slot, device, shopper, paymentId, checkout, confirmed, command } = await paidVend(
      client,
      fake,
      cleanup
    )

    assert.equal(confirmed.body().outcome, 'vended')
    const order = confirmed.body().order
    assert.containsSubset(order, {
      status: OrderStatus.Dispensing,
      price_paise: PRICE,
      payment_id: paymentId,
      slot: 1,
    })
    assert.containsSubset(confirmed.body().payment, {
      status: PaymentStatus.Paid,
      provider_payment_id: checkout.razorpay_payment_id,
    })
    assert.equal(command.order_id, order.id)
    assert.equal(await quantityOf(slot.id), 4)

    const ack = await device.report(command.command_id, 'dropped')

    assert.isTrue(ack.ok)
    const completed = await eventually(async () => {
      const current = await Order.findOrFail(order.id)
      return current.status === OrderStatus.Completed ? current : null
    })
    assert.equal(completed.paymentId, paymentId)
    assert.isFalse((await paymentRow(paymentId)).stockHeld)

    // The same Checkout response again: the same order, no second vend.
    const replayed = await verify(client, shopper.token, checkout)
    replayed.assertStatus(200)
    assert.equal(replayed.body().outcome, 'already_paid')
    assert.equal(replayed.body().order.id, order.id)
    assert.equal(await countRows('orders'), 1)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(device.commands, 1)
    assert.equal(await quantityOf(slot.id), 4)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('vends from payment.captured when the browser never came back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 2,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const opened = await pay(client, shopper.token, product.id, machine.code)
    const payment = fake.pay(opened.body().checkout.order_id)

    const response = await deliver(client, fake.paymentCaptured(payment))

    assert.deepEqual(response.body(), { outcome: 'vended' })
    const command = await device.nextVend()
    const order = await Order.findByOrFail('paymentId', opened.body().payment.id)
    assert.equal(command.order_id, order.id)
    await device.report(command.command_id, 'dropped')
    await eventually(async () => (await order.refresh()).status === OrderStatus.Completed)
    assert.equal(await quantityOf(slot.id), 1)

    // The browser's late verify and order.paid change nothing.
    const late = await verify(client, shopper.token, fake.checkoutResponse(payment))
    const orderPaid = await deliver(client, fake.orderPaid(payment))
    assert.equal(late.body().outcome, 'already_paid')
    assert.equal(orderPaid.body().outcome, 'already_paid')
    assert.equal(await countRows('orders'), 1)
    assert.lengthOf(device.commands, 1)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  /**
   * What a release step is given: the open payment and its shopper.
   */
  interface OpenPayment {
    client: ApiClient
    assert: Assert
    token: string
    paymentId: number
    orderId: string
  }

  const releases: {
    title: string
    status: PaymentStatus
    reason: string
    release: (open: OpenPayment) => Promise<void>
  }[] = [
    {
      title: 'Razorpay reports the payment failed',
      status: PaymentStatus.Failed,
      reason: 'Your payment has been declined by the bank.',
      release: async ({ client, orderId }) => {
        const response = await deliver(client, fake.paymentFailed(fake.decline(orderId)))
        response.assertStatus(200)
      },
    },
    {
      title: 'the shopper cancels the Checkout',
      status: PaymentStatus.Failed,
      reason: 'cancelled',
      release: async ({ client, token, paymentId, assert }) => {
        const response = await client
          .post(`/api/v1/payments/${paymentId}/cancel`)
          .bearerToken(token)
        response.assertStatus(200)
        assert.containsSubset(response.body().payment, {
          id: paymentId,
          status: PaymentStatus.Failed,
          failure_reason: 'cancelled',
        })
      },
    },
    {
      title: 'the hold expires',
      status: PaymentStatus.Expired,
      reason: 'hold_expired',
      release: async ({ assert }) => {
        assert.equal(await expireHolds(), 1)
      },
    },
  ]

  test('gives the held unit back once when {title}')
    .with(releases)
    .run(async ({ client, assert, cleanup }, { release, status, reason }) => {
      const { machine, product, slot, device } = await createOnlineMachine({
        pricePaise: PRICE,
        quantity: 3,
      })
      cleanup(() => disconnectDevice(device, machine.id))
      const shopper = await createShopper()
      const opened = await pay(client, shopper.token, product.id, machine.code)
      const paymentId = opened.body().payment.id
      assert.equal(await quantityOf(slot.id), 2)

      await release({
        client,
        assert,
        token: shopper.token,
        paymentId,
        orderId: opened.body().checkout.order_id,
      })

      assert.equal(await quantityOf(slot.id), 3)
      assert.containsSubset(await paymentRow(paymentId), {
        status,
        failureReason: reason,
        stockHeld: false,
      })

      // Every other way of ending it now gives nothing back a second time.
      const cancelled = await client
        .post(`/api/v1/payments/${paymentId}/cancel`)
        .bearerToken(shopper.token)
      cancelled.assertStatus(200)
      assert.equal(await expireHolds(), 0)
      await deliver(client, fake.paymentFailed(fake.decline(opened.body().checkout.order_id)))
      assert.equal(await quantityOf(slot.id), 3)
      assert.equal((await paymentRow(paymentId)).status, status)
      assert.equal(await countRows('orders'), 0)
      assert.lengthOf(device.commands, 0)
      await assertNoWalletMoney(assert, shopper.user.id)
    })

  test("answers 404 for cancelling someone else's payment and keeps its hold", async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const owner = await createShopper()
    const other = await createShopper()
    const opened = await pay(client, owner.token, product.id, machine.code)

    const response = await client
      .post(`/api/v1/payments/${opened.body().payment.id}/cancel`)
      .bearerToken(other.token)

    assertApiError(response, 404, 'not_found')
    assert.equal(await quantityOf(slot.id), 2)
    assert.equal((await paymentRow(opened.body().payment.id)).status, PaymentStatus.Created)
  })

  test('vends a payment that arrives after its hold expired while stock is left', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const opened = await pay(client, shopper.token, product.id, machine.code)
    await expireHolds()
    assert.equal(await quantityOf(slot.id), 3)

    const confirmed = await verify(
      client,
      shopper.token,
      fake.simulateCheckout(opened.body().checkout.order_id)
    )

    confirmed.assertStatus(200)
    assert.equal(confirmed.body().outcome, 'vended')
    assert.equal(await quantityOf(slot.id), 2)
    const command = await device.nextVend()
    assert.equal(command.order_id, confirmed.body().order.id)
    assert.lengthOf(fake.refundCalls(), 0)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('refunds to the card a payment that arrives after its hold expired and the slot emptied', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 1,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const late = await createShopper()
    const opened = await pay(client, late.token, product.id, machine.code)
    await expireHolds()
    // Someone else buys the last unit from their wallet meanwhile.
    const buyer = await createShopper({ balancePaise: PRICE })
    const bought = await client
      .post(`/api/v1/products/${product.id}/buy`)
      .bearerToken(buyer.token)
      .json({ machine: machine.code })
    bought.assertStatus(201)
    assert.equal(await quantityOf(slot.id), 0)

    const checkout = fake.simulateCheckout(opened.body().checkout.order_id)
    const confirmed = await verify(client, late.token, checkout)

    confirmed.assertStatus(200)
    assert.equal(confirmed.body().outcome, 'refunded_to_card')
    assert.isNull(confirmed.body().order)
    const refunded = await refundReaches(opened.body().payment.id, CardRefundStatus.Processed)
    assert.containsSubset(refunded, {
      status: PaymentStatus.Paid,
      failureReason: 'sold_out_before_payment',
    })
    const calls = fake.refundCalls(checkout.razorpay_payment_id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].body.amount, PRICE)
    assert.deepEqual(calls[0].auth, { user: fake.keyId, password: fake.keySecret })
    assert.equal(refunded.providerRefundId, [...fake.refunds.keys()][0])
    assert.equal(fake.payments.get(checkout.razorpay_payment_id)!.amount_refunded, PRICE)

    assert.equal(await quantityOf(slot.id), 0, 'stock never below zero')
    assert.equal(
      await Order.query()
        .where('user_id', late.user.id)
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
    await device.nextVend() // the wallet buyer's
    assert.lengthOf(device.commands, 1)
    await assertNoWalletMoney(assert, late.user.id)
  })

  test('holds the last unit for one of 10 shoppers paying at once; the others get 409 out_of_stock', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 1,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shoppers = await Promise.all(Array.from({ length: 10 }, () => createShopper()))

    const responses = await Promise.all(
      shoppers.map((shopper) => pay(client, shopper.token, product.id, machine.code))
    )

    const held = responses.filter((response) => response.status() === 201)
    assert.lengthOf(held, 1)
    for (const response of responses.filter((r) => r.status() !== 201))
      assertApiError(response, 409, 'out_of_stock')
    assert.equal(await quantityOf(slot.id), 0)
    assert.equal(await countRows('payments'), 1)
    assert.lengthOf(fake.orderCalls(), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refunds a vend that did not drop to the card, in full, not to the wallet', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { slot, device, shopper, paymentId, checkout, command, confirmed } = await paidVend(
      client,
      fake,
      cleanup
    )

    const ack = await device.report(command.command_id, 'no_drop')

    assert.isTrue(ack.ok)
    const refunded = await refundReaches(paymentId, CardRefundStatus.Processed)
    const order = await Order.findOrFail(confirmed.body().order.id)
    assert.equal(order.status, OrderStatus.Refunded)
    assert.equal(order.failureReason, 'no_drop')
    const calls = fake.refundCalls(checkout.razorpay_payment_id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].body.amount, PRICE)
    assert.equal(refunded.providerRefundId, [...fake.refunds.keys()][0])
    assert.lengthOf(fake.refundCalls(), 1)
    // Nothing fell: the unit is back in the slot's count.
    assert.equal(await quantityOf(slot.id), 5)
    await assertNoWalletMoney(assert, shopper.user.id)

    // A repeated result changes nothing.
    await device.report(command.command_id, 'no_drop')
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(fake.refundCalls(), 1)
    assert.equal(await quantityOf(slot.id), 5)
  })

  test('marks a card refund Razorpay answers pending as sent, then processed by refund.processed', async ({
    client,
    assert,
    cleanup,
  }) => {
    fake.refundStatus = 'pending'
    const { device, shopper, paymentId, command } = await paidVend(client, fake, cleanup)

    await device.report(command.command_id, 'jam')

    const sent = await refundReaches(paymentId, CardRefundStatus.Sent)
    const refund = fake.refunds.get(sent.providerRefundId!)!
    assert.equal(refund.amount, PRICE)

    const response = await deliver(client, fake.refundEvent('refund.processed', refund))

    assert.deepEqual(response.body(), { outcome: 'refund_processed' })
    assert.containsSubset(await paymentRow(paymentId), {
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: refund.id,
    })
    assert.equal((await paymentEvents())[0].paymentId, paymentId)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('records a card refund Razorpay reports failed, for an admin to see', async ({
    client,
    assert,
    cleanup,
  }) => {
    fake.refundStatus = 'pending'
    const { device, shopper, paymentId, command } = await paidVend(client, fake, cleanup)
    await device.report(command.command_id, 'no_drop')
    const sent = await refundReaches(paymentId, CardRefundStatus.Sent)

    const response = await deliver(
      client,
      fake.refundEvent('refund.failed', fake.refunds.get(sent.providerRefundId!)!)
    )

    assert.deepEqual(response.body(), { outcome: 'refund_failed' })
    assert.containsSubset(await paymentRow(paymentId), {
      refundStatus: CardRefundStatus.Failed,
      refundError: 'refund failed at Razorpay',
    })
    // Still the card's business: nothing lands in the wallet instead.
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('refunds a completed card-paid order to the card once when asked twice at once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, shopper, product, paymentId, checkout, command, confirmed } = await paidVend(
      client,
      fake,
      cleanup
    )
    await device.report(command.command_id, 'dropped')
    const orderId = confirmed.body().order.id
    await eventually(async () => (await Order.findOrFail(orderId)).status === OrderStatus.Completed)

    const responses = await Promise.all(
      [1, 2].map(() =>
        client
          .post(`/api/v1/products/${product.id}/refund`)
          .bearerToken(shopper.token)
          .json({ order_id: orderId })
      )
    )

    const statuses = responses.map((response) => response.status()).sort()
    assert.deepEqual(statuses, [200, 409])
    assertApiError(
      responses.find((r) => r.status() === 409)!,
      409,
      'already_refunded'
    )
    assert.equal(
      responses.find((r) => r.status() === 200)!.body().order.status,
      OrderStatus.Refunded
    )
    await refundReaches(paymentId, CardRefundStatus.Processed)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const calls = fake.refundCalls(checkout.razorpay_payment_id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].body.amount, PRICE)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  const refundFailures = [
    { title: 'a 500', failure: { kind: 'status', status: 500 } as const },
    { title: 'a connection reset', failure: { kind: 'reset' } as const },
  ]

  test('keeps a card refund pending after {title} from Razorpay and sends it on a later sweep')
    .with(refundFailures)
    .run(async ({ client, assert, cleanup }, { failure }) => {
      fake.failNext('refunds', failure)
      const { device, shopper, paymentId, checkout, command } = await paidVend(
        client,
        fake,
        cleanup
      )

      await device.report(command.command_id, 'no_drop')

      const pending = await eventually(async () => {
        const row = await paymentRow(paymentId)
        return row.refundStatus === CardRefundStatus.Pending && row.refundError ? row : null
      })
      assert.isNull(pending.providerRefundId)
      assert.lengthOf(fake.refundCalls(checkout.razorpay_payment_id), 1)
      assert.lengthOf(fake.refunds, 0)

      // Nothing is due yet: the sweeper waits before retrying.
      const issue = await app.container.make(IssueCardRefund)
      assert.equal(await issue.retryDue(DateTime.now()), 0)
      assert.lengthOf(fake.refundCalls(), 1)

      assert.equal(await issue.retryDue(DateTime.now().plus({ minutes: 1 })), 1)

      const processed = await paymentRow(paymentId)
      assert.equal(processed.refundStatus, CardRefundStatus.Processed)
      assert.isNull(processed.refundError)
      assert.lengthOf(fake.refundCalls(checkout.razorpay_payment_id), 2)
      assert.lengthOf(fake.refunds, 1)
      assert.equal(fake.payments.get(checkout.razorpay_payment_id)!.amount_refunded, PRICE)
      // Settled: later sweeps send nothing.
      assert.equal(await issue.retryDue(DateTime.now().plus({ minutes: 5 })), 0)
      assert.lengthOf(fake.refundCalls(), 2)
      await assertNoWalletMoney(assert, shopper.user.id)
    })

  test('never refunds twice when the answer to a refund call was lost', async ({
    client,
    assert,
    cleanup,
  }) => {
    fake.failNext('refunds', { kind: 'lost_answer' })
    const { device, shopper, paymentId, checkout, command } = await paidVend(client, fake, cleanup)

    await device.report(command.command_id, 'no_drop')
    await eventually(async () => (await paymentRow(paymentId)).refundError !== null)
    // Razorpay did refund; our call only lost the answer.
    assert.lengthOf(fake.refunds, 1)
    const issue = await app.container.make(IssueCardRefund)
    assert.equal(await issue.retryDue(DateTime.now().plus({ minutes: 1 })), 1)

    // The retry asked Razorpay for the payment's refunds and adopted the one
    // it had made, instead of asking for a second one.
    assert.lengthOf(fake.refundCalls(checkout.razorpay_payment_id), 1)
    assert.lengthOf(fake.refunds, 1)
    assert.equal(fake.payments.get(checkout.razorpay_payment_id)!.amount_refunded, PRICE)
    const adopted = await paymentRow(paymentId)
    assert.equal(adopted.providerRefundId, [...fake.refunds.keys()][0])
    assert.equal(adopted.refundStatus, CardRefundStatus.Processed)
    // Later sweeps leave it alone.
    assert.equal(await issue.retryDue(DateTime.now().plus({ minutes: 5 })), 0)
    assert.lengthOf(fake.refundCalls(), 1)

    // Razorpay's refund.processed settles it.
    const response = await deliver(
      client,
      fake.refundEvent('refund.processed', [...fake.refunds.values()][0])
    )
    assert.deepEqual(response.body(), { outcome: 'refund_processed' })
    assert.equal((await paymentRow(paymentId)).refundStatus, CardRefundStatus.Processed)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('refunds to the card a second successful payment on an order already paid', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 3,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const opened = await pay(client, shopper.token, product.id, machine.code)
    const orderId = opened.body().checkout.order_id
    // Two tabs, both paid.
    const first = fake.simulateCheckout(orderId)
    const second = fake.simulateCheckout(orderId)

    const one = await verify(client, shopper.token, first)
    const two = await verify(client, shopper.token, second)

    assert.equal(one.body().outcome, 'vended')
    assert.equal(two.body().outcome, 'extra_payment')
    await eventually(async () => fake.refunds.size === 1)
    const calls = fake.refundCalls(second.razorpay_payment_id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].body.amount, PRICE)
    assert.lengthOf(fake.refundCalls(first.razorpay_payment_id), 0)
    assert.equal(await countRows('orders'), 1)
    assert.equal(await quantityOf(slot.id), 2)
    await device.nextVend()
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(device.commands, 1)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('answers 502 and holds nothing when Razorpay cannot create the order', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 2,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    fake.failNext('orders', { kind: 'reset' })
    const before = await snapshot()

    const response = await pay(client, shopper.token, product.id, machine.code)

    assertApiError(response, 502, 'payment_provider_error')
    assert.deepEqual(await snapshot(), before)
    assert.equal(await quantityOf(slot.id), 2)
    const [payment] = await Payment.all()
    assert.containsSubset(payment, {
      status: PaymentStatus.Failed,
      stockHeld: false,
      failureReason: 'provider_error',
    })
  })

  test('holds a unit for a retry with the same Idempotency-Key after a 502', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { machine, product, slot, device } = await createOnlineMachine({
      pricePaise: PRICE,
      quantity: 2,
    })
    cleanup(() => disconnectDevice(device, machine.id))
    const shopper = await createShopper()
    const send = () =>
      client
        .post(`/api/v1/products/${product.id}/pay`)
        .bearerToken(shopper.token)
        .header('Idempotency-Key', 'vend-1')
        .json({ machine: machine.code })
    fake.failNext('orders', { kind: 'status', status: 502 })

    const failed = await send()
    const retried = await send()
    const replayed = await send()

    assertApiError(failed, 502, 'payment_provider_error')
    retried.assertStatus(201)
    const [orderId] = [...fake.orders.keys()]
    assert.equal(retried.body().checkout.order_id, orderId)
    replayed.assertStatus(200)
    assert.equal(replayed.body().payment.id, retried.body().payment.id)
    assert.equal(await quantityOf(slot.id), 1, 'one unit held, for the open payment only')

    const confirmed = await verify(client, shopper.token, fake.simulateCheckout(orderId))
    assert.equal(confirmed.body().outcome, 'vended')
    assert.equal((await device.nextVend()).order_id, confirmed.body().order.id)
    await assertNoWalletMoney(assert, shopper.user.id)
  })
})

/*
 * Razorpay's refund webhooks against a card refund: signed, yet they may
 * name another refund of the payment (one made in Razorpay's dashboard),
 * arrive out of order, or be replayed under a new event id (the
 * `X-Razorpay-Event-Id` header is not signed). None of these may move a
 * refund backwards or onto another refund.
 */
test.group('Pay per vend: refund webhooks', (group) => {
  const fake = useFakeRazorpay(group)
  group.each.setup(truncateAll)

  const nowSeconds = () => Math.floor(Date.now() / 1000)

  test('keeps a processed card refund as it is when signed refund events name another refund', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { device, shopper, paymentId, checkout, command, confirmed } = await paidVend(
      client,
      fake,
      cleanup
    )
    await device.report(command.command_id, 'no_drop')
    const processed = await refundReaches(paymentId, CardRefundStatus.Processed)
    const ours = fake.refunds.get(processed.providerRefundId!)!
    const payment = fake.payments.get(checkout.razorpay_payment_id)!

    for (const event of ['refund.failed', 'refund.processed', 'refund.created'] as const) {
      const other = {
        ...ours,
        id: razorpayId('rfnd'),
        status: event === 'refund.failed' ? ('failed' as const) : ('processed' as const),
      }
      const response = await deliver(client, fake.webhook(event, { refund: other, payment }))
      response.assertStatus(200)
      assert.deepEqual(response.body(), { outcome: 'other_refund' }, event)
    }

    assert.containsSubset(await paymentRow(paymentId), {
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: ours.id,
      refundError: null,
    })
    // Nothing asks an admin to act, and the order cannot be refunded again.
    const attention = await (
      await app.container.make(ListPayments)
    ).query({ refund: REFUND_ATTENTION })
    assert.notInclude(
      attention.map((row) => row.id),
      paymentId
    )
    const admin = await UserFactory.apply('admin').create()
    const orderId = confirmed.body().order.id
    const again = await client
      .post(`/admin/orders/${orderId}/refund`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    again.assertStatus(302)
    again.assertFlashMessage('error', 'This order was already refunded.')
    assert.lengthOf(fake.refundCalls(), 1)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('adopts the refund a lost answer left unknown and ignores an event older than the one that moved it', async ({
    client,
    assert,
    cleanup,
  }) => {
    fake.failNext('refunds', { kind: 'lost_answer' })
    const { device, shopper, paymentId, command } = await paidVend(client, fake, cleanup)
    await device.report(command.command_id, 'no_drop')
    await eventually(async () => (await paymentRow(paymentId)).refundError !== null)
    const [refund] = [...fake.refunds.values()]
    refund.status = 'pending'
    const createdAt = nowSeconds()

    const created = await deliver(client, fake.refundEvent('refund.created', refund, { createdAt }))
    const older = await deliver(
      client,
      fake.refundEvent('refund.failed', refund, { createdAt: createdAt - 60 })
    )

    assert.deepEqual(created.body(), { outcome: 'refund_created' })
    assert.deepEqual(older.body(), { outcome: 'stale_refund_event' })
    assert.containsSubset(await paymentRow(paymentId), {
      refundStatus: CardRefundStatus.Sent,
      providerRefundId: refund.id,
      refundError: null,
    })

    // A newer event about the same refund still settles it.
    const newer = await deliver(
      client,
      fake.refundEvent('refund.processed', refund, { createdAt: createdAt + 60 })
    )
    assert.deepEqual(newer.body(), { outcome: 'refund_processed' })
    assert.containsSubset(await paymentRow(paymentId), {
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: refund.id,
    })
    // The sweeper asks Razorpay for nothing more.
    const issue = await app.container.make(IssueCardRefund)
    assert.equal(await issue.retryDue(DateTime.now().plus({ minutes: 10 })), 0)
    assert.lengthOf(fake.refundCalls(), 1)
    await assertNoWalletMoney(assert, shopper.user.id)
  })

  test('treats a signed body replayed under another event id as a duplicate that changes nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    fake.refundStatus = 'pending'
    const { device, paymentId, command } = await paidVend(client, fake, cleanup)
    await device.report(command.command_id, 'no_drop')
    const sent = await refundReaches(paymentId, CardRefundStatus.Sent)
    const refund = fake.refunds.get(sent.providerRefundId!)!
    const failed = fake.refundEvent('refund.failed', refund)
    const first = await deliver(client, failed)
    assert.deepEqual(first.body(), { outcome: 'refund_failed' })
    const before = await paymentRow(paymentId)

    const replayEventId = razorpayId('evt')
    const replay = await deliver(client, {
      body: failed.body,
      headers: { ...failed.headers, 'x-razorpay-event-id': replayEventId },
    })

    replay.assertStatus(200)
    assert.deepEqual(replay.body(), { outcome: 'duplicate' })
    const events = await paymentEvents()
    assert.lengthOf(events, 1)
    assert.deepInclude(events[0], {
      eventId: failed.eventId,
      outcome: 'refund_failed',
      deliveries: 2,
    })
    assert.deepEqual(await paymentRow(paymentId), before)
  })
})
