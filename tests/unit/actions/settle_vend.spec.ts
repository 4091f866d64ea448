import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import Ledger from '#services/ledger'
import SettleVend from '#actions/vends/settle_vend'
import { type FakeDeviceChannel, useFakeDeviceChannel } from '#tests/helpers/fake_device_channel'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'
import {
  buyWithWallet,
  checkMarkOf,
  ledgerSumOf,
  orderRow,
  shopperWith,
  stockedMachine,
  stockOf,
  useGlobalTransaction,
} from '#tests/helpers/actions'

const PRICE = 2500
const OPENING = 10_000

/**
 * A wallet buy of one ₹25 unit from a slot of 5: the shopper opened with
 * ₹100, so after the buy the balance is ₹75 and the slot holds 4. `sent`:
 * the device channel takes the command, so `BuyProduct` dispatches the
 * order (`dispensing`); otherwise no socket.io server runs and the order
 * stays `pending` (never sent).
 */
async function boughtOrder(channel: FakeDeviceChannel, options: { sent: boolean }) {
  const user = await shopperWith(OPENING)
  const { machine, product, slot } = await stockedMachine({ quantities: [5], pricePaise: PRICE })
  channel.setAttached(options.sent).connect(machine.id)
  const order = await buyWithWallet(user, product.id, machine.code)
  const expected = options.sent ? OrderStatus.Dispensing : OrderStatus.Pending
  if (order.status !== expected)
    throw new Error(`the buy left the order ${order.status}, not ${expected}`)
  if (channel.vendCommands(machine.id).length !== (options.sent ? 1 : 0))
    throw new Error('the buy did not send as expected')
  return { user, machine, product, slot, order }
}

async function settle(order: Order, result: Parameters<SettleVend['handle']>[1]) {
  const settleVend = await app.container.make(SettleVend)
  return settleVend.handle(order, result)
}

/*
 * SettleVend, the one place a device result (or its absence) ends a vend:
 * what it does to the order, the wallet, the ledger and the slot.
 */
test.group('SettleVend', (group) => {
  const channel = useFakeDeviceChannel(group)
  useGlobalTransaction(group)

  test('a dropped item completes the order and keeps the charge', async ({ assert }) => {
    const { user, slot, order } = await boughtOrder(channel, { sent: true })
    assert.equal(await balanceOf(user.id), OPENING - PRICE)

    assert.equal(await settle(order, VendResult.Dropped), 'completed')

    assert.equal((await orderRow(order.id)).status, OrderStatus.Completed)
    assert.equal(order.status, OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), OPENING - PRICE)
    assert.deepEqual(
      (await ledgerRowsOf(user.id)).map((row) => [row.kind, row.amountPaise]),
      [
        [TransactionKind.TopUp, OPENING],
        [TransactionKind.Purchase, -PRICE],
      ]
    )
    assert.equal(await stockOf(slot.id), 4)
    assert.isFalse((await checkMarkOf(slot.id)).flagged)
  })

  test('a timeout refunds the full price with a refund row for the order', async ({ assert }) => {
    const { user, order } = await boughtOrder(channel, { sent: true })

    assert.equal(await settle(order, 'timeout'), 'refunded')

    assert.deepEqual(await orderRow(order.id), {
      status: OrderStatus.Refunded,
      failureReason: 'timeout',
    })
    assert.equal(await balanceOf(user.id), OPENING)
    const refund = (await ledgerRowsOf(user.id)).at(-1)!
    assert.deepInclude(refund, {
      kind: TransactionKind.Refund,
      amountPaise: PRICE,
      balanceAfterPaise: OPENING,
      orderId: order.id,
      externalReference: `refund:order:${order.id}`,
    })
    assert.equal(await ledgerSumOf(user.id), await balanceOf(user.id))
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('stock after a failure: {title}')
    .with([
      {
        title: 'a command that never left (pending) gives the unit back',
        sent: false,
        result: 'timeout',
        stock: 5,
        flagged: false,
      },
      {
        title: 'no_drop gives the unit back',
        sent: true,
        result: VendResult.NoDrop,
        stock: 5,
        flagged: false,
      },
      {
        title: 'expired gives the unit back',
        sent: true,
        result: VendResult.Expired,
        stock: 5,
        flagged: false,
      },
      {
        title: 'a jam keeps the count and flags the slot',
        sent: true,
        result: VendResult.Jam,
        stock: 4,
        flagged: true,
      },
      {
        title: 'a timeout after sending keeps the count and flags the slot',
        sent: true,
        result: 'timeout',
        stock: 4,
        flagged: true,
      },
    ] as const)
    .run(async ({ assert }, row) => {
      const { user, slot, order } = await boughtOrder(channel, { sent: row.sent })
      assert.equal(await stockOf(slot.id), 4)

      assert.equal(await settle(order, row.result), 'refunded')

      assert.equal(await stockOf(slot.id), row.stock)
      assert.deepEqual(
        await checkMarkOf(slot.id),
        row.flagged
          ? { flagged: true, reason: row.result, orderId: order.id }
          : { flagged: false, reason: null, orderId: null }
      )
      assert.equal(await balanceOf(user.id), OPENING)
    })

  test('settles once: a second result, of either kind, changes nothing', async ({ assert }) => {
    const { user, slot, order } = await boughtOrder(channel, { sent: true })
    assert.equal(await settle(order, VendResult.NoDrop), 'refunded')
    const after = await snapshot()

    assert.equal(await settle(order, VendResult.NoDrop), 'ignored')
    assert.equal(await settle(order, 'timeout'), 'ignored')
    assert.equal(await settle(order, VendResult.Dropped), 'ignored')

    assert.deepEqual(await snapshot(), after)
    assert.equal((await orderRow(order.id)).status, OrderStatus.Refunded)
    assert.equal(await stockOf(slot.id), 5)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === TransactionKind.Refund),
      1
    )
  })

  test('settles once even through a stale copy of the order that still says dispensing', async ({
    assert,
  }) => {
    const { user, slot, order } = await boughtOrder(channel, { sent: true })
    const stale = await Order.findOrFail(order.id)
    const staleToo = await Order.findOrFail(order.id)
    assert.equal(await settle(order, VendResult.NoDrop), 'refunded')
    const after = await snapshot()

    // The in-memory status says `dispensing`: only the row may decide.
    assert.equal(stale.status, OrderStatus.Dispensing)
    assert.equal(await settle(stale, VendResult.Jam), 'ignored')
    assert.equal(await settle(staleToo, VendResult.Dropped), 'ignored')

    assert.deepEqual(await snapshot(), after)
    assert.equal(await stockOf(slot.id), 5)
    assert.isFalse((await checkMarkOf(slot.id)).flagged)
    assert.equal(await balanceOf(user.id), OPENING)
  })

  test('a late failure after the item dropped changes nothing', async ({ assert }) => {
    const { user, slot, order } = await boughtOrder(channel, { sent: true })
    const stale = await Order.findOrFail(order.id)
    assert.equal(await settle(order, VendResult.Dropped), 'completed')

    assert.equal(await settle(stale, 'timeout'), 'ignored')

    assert.equal((await orderRow(order.id)).status, OrderStatus.Completed)
    assert.equal(await balanceOf(user.id), OPENING - PRICE)
    assert.equal(await stockOf(slot.id), 4)
    assert.isFalse((await checkMarkOf(slot.id)).flagged)
  })

  test('fails, refunds and settles stock in one transaction: when the credit cannot be written, nothing changes', async ({
    assert,
  }) => {
    const { user, slot, order } = await boughtOrder(channel, { sent: true })
    // A ledger row already holds the order's refund reference, so the
    // refund's own row hits the unique index.
    const ledger = await app.container.make(Ledger)
    await db.transaction((trx) =>
      ledger.post(trx, {
        userId: user.id,
        kind: TransactionKind.Adjustment,
        amountPaise: 1,
        externalReference: `refund:order:${order.id}`,
      })
    )
    const before = await snapshot()

    await assert.rejects(() => settle(order, VendResult.Jam))

    assert.deepEqual(await snapshot(), before)
    assert.deepEqual(await orderRow(order.id), {
      status: OrderStatus.Dispensing,
      failureReason: null,
    })
    assert.isFalse((await checkMarkOf(slot.id)).flagged)
    assert.equal(await stockOf(slot.id), 4)
  })
})
