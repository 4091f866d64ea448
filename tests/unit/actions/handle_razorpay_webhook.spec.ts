import { test } from '@japa/runner'
import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import { CardRefundStatus } from '#enums/card_refund_status'
import { OrderStatus } from '#enums/order_status'
import { PaymentStatus } from '#enums/payment_status'
import { TransactionKind } from '#enums/transaction_kind'
import type User from '#models/user'
import Order from '#models/order'
import PaymentGateway from '#services/payment_gateway'
import HandleRazorpayWebhook from '#actions/payments/handle_razorpay_webhook'
import IssueCardRefund from '#actions/payments/issue_card_refund'
import StartVendPayment from '#actions/payments/start_vend_payment'
import SettleVend from '#actions/vends/settle_vend'
import TopUpBalance from '#actions/wallet/top_up_balance'
import InvalidPaymentSignatureException from '#exceptions/invalid_payment_signature_exception'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'
import {
  FakeRazorpay,
  hmacHex,
  razorpayId,
  type FakeRefund,
  type WebhookDelivery,
} from '#tests/helpers/fake_razorpay'
import { countRows, fakeRazorpaySettings, paymentEvents, paymentRow } from '#tests/helpers/payments'
import { useFakeDeviceChannel } from '#tests/helpers/fake_device_channel'
import { expectedVend } from '#tests/helpers/device'
import { shopperWith, stockedMachine, stockOf, useGlobalTransaction } from '#tests/helpers/actions'

/**
 * Hands a signed delivery to the webhook action as the controller does:
 * the raw body, `X-Razorpay-Signature` and `X-Razorpay-Event-Id`.
 */
async function deliver(delivery: WebhookDelivery) {
  const handler = await app.container.make(HandleRazorpayWebhook)
  return handler.handle({
    rawBody: delivery.body,
    signature: delivery.headers['x-razorpay-signature'],
    eventId: delivery.eventId,
  })
}

/**
 * A Razorpay wallet top-up opened through `TopUpBalance` (the fake
 * Razorpay created its order), not yet paid.
 */
async function openTopUp(user: User, amountPaise: number) {
  const topUp = await app.container.make(TopUpBalance)
  const outcome = await topUp.handle(user, amountPaise)
  if (outcome.kind !== 'checkout')
    throw new Error(`expected a Razorpay checkout, got ${outcome.kind}`)
  return outcome.payment
}

/**
 * A pay-per-vend payment opened through `StartVendPayment`: its unit is
 * held, its Razorpay order created, not yet paid.
 */
async function openVendPayment(user: User, productId: number, machineCode: string) {
  const start = await app.container.make(StartVendPayment)
  const outcome = await start.handle({ user, productId, machineCode, clientIp: '203.0.113.7' })
  if (outcome.kind !== 'checkout')
    throw new Error(`expected a Razorpay checkout, got ${outcome.kind}`)
  return outcome.payment
}

/**
 * For a group: a fake Razorpay server with the container's
 * `PaymentGateway` pointed at it (its webhook secret signs the
 * deliveries, and the real signature check runs), and a fake
 * DeviceChannel standing for the devices.
 */
function useFakes(group: Group) {
  const razorpay = new FakeRazorpay()
  const channel = useFakeDeviceChannel(group)
  group.setup(async () => {
    await razorpay.start()
    const gateway = new PaymentGateway(fakeRazorpaySettings(razorpay))
    app.container.swap(PaymentGateway, () => gateway)
    return async () => {
      app.container.restore(PaymentGateway)
      await razorpay.close()
    }
  })
  group.each.setup(() => razorpay.reset())
  return { razorpay, channel }
}

/*
 * HandleRazorpayWebhook called directly with signed deliveries, inside a
 * global transaction.
 */
test.group('HandleRazorpayWebhook', (group) => {
  const { razorpay, channel } = useFakes(group)
  useGlobalTransaction(group)

  test('refuses a delivery signed with another secret and stores nothing', async ({ assert }) => {
    const user = await shopperWith(100)
    const payment = await openTopUp(user, 20_000)
    const genuine = razorpay.paymentCaptured(razorpay.pay(payment.providerOrderId!))
    const before = await snapshot()

    await assert.rejects(
      () =>
        deliver({
          ...genuine,
          headers: {
            ...genuine.headers,
            'x-razorpay-signature': hmacHex(genuine.body, 'guessed-secret'),
          },
        }),
      InvalidPaymentSignatureException
    )

    assert.equal(await countRows('payment_events'), 0)
    assert.deepEqual(await snapshot(), before)
    assert.equal((await paymentRow(payment.id)).status, PaymentStatus.Created)
  })

  test('order.paid after payment.captured for the same payment credits nothing more', async ({
    assert,
  }) => {
    const user = await shopperWith(0)
    const payment = await openTopUp(user, 9_900)
    const captured = razorpay.pay(payment.providerOrderId!)

    assert.equal((await deliver(razorpay.paymentCaptured(captured))).outcome, 'credited')
    assert.equal((await deliver(razorpay.orderPaid(captured))).outcome, 'already_paid')

    assert.equal(await balanceOf(user.id), 9_900)
    assert.lengthOf(await ledgerRowsOf(user.id), 1)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('payment.captured for a pay-per-vend payment sends the vend once through the device channel', async ({
    assert,
  }) => {
    const user = await shopperWith(0)
    const { machine, product, slot } = await stockedMachine({ quantities: [5], pricePaise: 4000 })
    channel.connect(machine.id)
    const payment = await openVendPayment(user, product.id, machine.code)
    assert.equal(await stockOf(slot.id), 4, 'the unit is held while the shopper pays')
    assert.lengthOf(channel.commands, 0)
    const captured = razorpay.pay(payment.providerOrderId!)

    assert.equal((await deliver(razorpay.paymentCaptured(captured))).outcome, 'vended')

    const order = await Order.findByOrFail('paymentId', payment.id)
    assert.equal(order.status, OrderStatus.Dispensing)
    assert.deepInclude(order.$attributes, {
      userId: user.id,
      machineId: machine.id,
      slotId: slot.id,
      pricePaise: 4000,
    })
    assert.deepEqual(channel.commands, [
      {
        machineId: machine.id,
        event: 'vend',
        payload: { ...(await expectedVend(order.id)) },
        room: 'machine',
      },
    ])
    assert.equal(await stockOf(slot.id), 4, 'the held unit is the one vended')
    assert.containsSubset(await paymentRow(payment.id), {
      status: PaymentStatus.Paid,
      providerPaymentId: captured.id,
      stockHeld: false,
    })

    // The same payment reported again (order.paid) makes no second order.
    // The order's command may go out again (as on every reconnect): the
    // same command id, which the device vends at most once.
    assert.equal((await deliver(razorpay.orderPaid(captured))).outcome, 'already_paid')
    assert.lengthOf(await Order.query().where('payment_id', payment.id), 1)
    assert.sameMembers(
      [...new Set(channel.vendCommands().map((command) => command.payload.command_id))],
      [order.commandId]
    )
    assert.equal(await stockOf(slot.id), 4)
    // Paid by card: the wallet never moved.
    assert.equal(await balanceOf(user.id), 0)
    assert.lengthOf(await ledgerRowsOf(user.id), 0)
  })

  test('payment.captured for a pay-per-vend payment leaves the order pending when no device channel runs', async ({
    assert,
  }) => {
    const user = await shopperWith(0)
    const { machine, product } = await stockedMachine({ pricePaise: 4000 })
    channel.setAttached(false)
    const payment = await openVendPayment(user, product.id, machine.code)

    assert.equal(
      (await deliver(razorpay.paymentCaptured(razorpay.pay(payment.providerOrderId!)))).outcome,
      'vended'
    )

    assert.equal((await Order.findByOrFail('paymentId', payment.id)).status, OrderStatus.Pending)
    assert.lengthOf(channel.commands, 0)
  })

  test('a refund event moves only the refund it names', async ({ assert, cleanup }) => {
    // The card refund is issued by this test, not by the listener.
    emitter.fake(['payment:refund_due'])
    cleanup(() => emitter.restore())
    razorpay.refundStatus = 'pending'

    const user = await shopperWith(0)
    const { machine, product } = await stockedMachine({ pricePaise: 4000 })
    channel.connect(machine.id)
    const payment = await openVendPayment(user, product.id, machine.code)
    const captured = razorpay.pay(payment.providerOrderId!)
    assert.equal((await deliver(razorpay.paymentCaptured(captured))).outcome, 'vended')
    // The vend never reports: the sweeper's timeout refunds it to the card.
    const order = await Order.findByOrFail('paymentId', payment.id)
    assert.equal(await (await app.container.make(SettleVend)).handle(order, 'timeout'), 'refunded')
    assert.equal(await (await app.container.make(IssueCardRefund)).handle(payment.id), 'sent')
    const ours = await paymentRow(payment.id)
    assert.equal(ours.refundStatus, CardRefundStatus.Sent)
    const ourRefund = razorpay.refunds.get(ours.providerRefundId!)!
    assert.exists(ourRefund)

    // Another refund of the same payment, made in Razorpay's dashboard.
    const other: FakeRefund = { ...structuredClone(ourRefund), id: razorpayId('rfnd'), amount: 100 }
    assert.equal(
      (await deliver(razorpay.refundEvent('refund.processed', other))).outcome,
      'other_refund'
    )
    assert.containsSubset(await paymentRow(payment.id), {
      refundStatus: CardRefundStatus.Sent,
      providerRefundId: ourRefund.id,
    })

    assert.equal(
      (await deliver(razorpay.refundEvent('refund.processed', ourRefund))).outcome,
      'refund_processed'
    )
    assert.containsSubset(await paymentRow(payment.id), {
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: ourRefund.id,
    })

    assert.equal(
      (await deliver(razorpay.refundEvent('refund.failed', other))).outcome,
      'other_refund'
    )
    assert.containsSubset(await paymentRow(payment.id), {
      refundStatus: CardRefundStatus.Processed,
      providerRefundId: ourRefund.id,
      refundError: null,
    })
    // The card took the money back, not the wallet.
    assert.equal(await balanceOf(user.id), 0)
    assert.lengthOf(await ledgerRowsOf(user.id), 0)
    assert.equal((await Order.findOrFail(order.id)).status, OrderStatus.Refunded)
  })
})

test.group('HandleRazorpayWebhook: redeliveries', (group) => {
  const { razorpay } = useFakes(group)
  useGlobalTransaction(group)

  test('payment.captured for a top-up credits the wallet once; a redelivery is ignored', async ({
    assert,
  }) => {
    const user = await shopperWith(100)
    const payment = await openTopUp(user, 20_000)
    const captured = razorpay.pay(payment.providerOrderId!)
    const delivery = razorpay.paymentCaptured(captured)

    assert.deepEqual(await deliver(delivery), { outcome: 'credited', eventId: delivery.eventId })
    const credited = await snapshot()
    // Razorpay redelivers the same event; then the same signed body comes
    // again under another event id (a header the signature does not cover).
    assert.deepEqual(await deliver(delivery), { outcome: 'duplicate', eventId: delivery.eventId })
    const replayed = { ...delivery, eventId: razorpayId('evt'), headers: { ...delivery.headers } }
    assert.equal((await deliver(replayed)).outcome, 'duplicate')

    assert.deepEqual(await snapshot(), credited)
    assert.equal(await balanceOf(user.id), 20_100)
    const rows = await ledgerRowsOf(user.id)
    assert.deepEqual(
      rows.map((row) => [row.kind, row.amountPaise, row.externalReference]),
      [
        [TransactionKind.TopUp, 100, null],
        [TransactionKind.TopUp, 20_000, `payment:${payment.id}`],
      ]
    )
    assert.containsSubset(await paymentRow(payment.id), {
      status: PaymentStatus.Paid,
      providerPaymentId: captured.id,
    })
    const events = await paymentEvents()
    assert.lengthOf(events, 1)
    assert.deepInclude(events[0], {
      eventId: delivery.eventId,
      outcome: 'credited',
      deliveries: 3,
      paymentId: payment.id,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })
})
