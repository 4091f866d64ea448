import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vendingConfig from '#config/vending'
import { OrderStatus } from '#enums/order_status'
import { TransactionKind } from '#enums/transaction_kind'
import { VendResult } from '#enums/vend_result'
import Order from '#models/order'
import { dbTimestamp } from '#services/db_helpers'
import RefundOrder, { type RefundActor } from '#actions/orders/refund_order'
import SettleVend from '#actions/vends/settle_vend'
import RefundRefusedException from '#exceptions/refund_refused_exception'
import { balanceOf, ledgerDiscrepancies, ledgerRowsOf, snapshot } from '#tests/helpers/api'
import {
  buyWithWallet,
  ledgerSumOf,
  orderRow,
  shopperWith,
  stockedMachine,
  useGlobalTransaction,
} from '#tests/helpers/actions'

const PRICE = 2500
const OPENING = 10_000

/**
 * A wallet buy of one ₹25 unit that dropped: a `completed` order, the
 * shopper at ₹75 of an opening ₹100.
 */
async function completedOrder(options: { isRefundable?: boolean } = {}) {
  const user = await shopperWith(OPENING)
  const { machine, product } = await stockedMachine({
    pricePaise: PRICE,
    isRefundable: options.isRefundable,
  })
  const order = await buyWithWallet(user, product.id, machine.code)
  const settleVend = await app.container.make(SettleVend)
  const outcome = await settleVend.handle(order, VendResult.Dropped)
  if (outcome !== 'completed') throw new Error(`the vend did not complete: ${outcome}`)
  return { user, product, order }
}

async function refund(order: Order, actor: RefundActor) {
  const refundOrder = await app.container.make(RefundOrder)
  return refundOrder.handle(order, actor)
}

/**
 * Refusals as `{ code, status }`, for one comparison.
 */
async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown) => thrown
  )
  if (!(error instanceof RefundRefusedException))
    throw error ?? new Error('the refund was not refused')
  return { code: error.code, status: error.status }
}

/*
 * RefundOrder, the one place a refund is decided: money back to the wallet
 * through the ledger, at most once.
 */
test.group('RefundOrder', (group) => {
  useGlobalTransaction(group)

  test('gives the price back to the wallet with one refund row, and the ledger sums to the balance', async ({
    assert,
  }) => {
    const { user, order } = await completedOrder()
    assert.equal(await balanceOf(user.id), OPENING - PRICE)

    const refunded = await refund(order, 'shopper')

    assert.equal(refunded.status, OrderStatus.Refunded)
    assert.equal((await orderRow(order.id)).status, OrderStatus.Refunded)
    assert.equal(await balanceOf(user.id), OPENING)
    assert.equal(await ledgerSumOf(user.id), OPENING)
    assert.deepInclude((await ledgerRowsOf(user.id)).at(-1)!, {
      kind: TransactionKind.Refund,
      amountPaise: PRICE,
      balanceAfterPaise: OPENING,
      orderId: order.id,
      externalReference: `refund:order:${order.id}`,
    })
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test('refuses a second refund with already_refunded and credits nothing more', async ({
    assert,
  }) => {
    const { user, order } = await completedOrder()
    await refund(order, 'shopper')
    const after = await snapshot()

    assert.deepEqual(await refusalOf(refund(order, 'shopper')), {
      code: 'already_refunded',
      status: 409,
    })
    assert.deepEqual(await refusalOf(refund(order, 'admin')), {
      code: 'already_refunded',
      status: 409,
    })

    assert.deepEqual(await snapshot(), after)
    assert.equal(await balanceOf(user.id), OPENING)
    assert.lengthOf(
      (await ledgerRowsOf(user.id)).filter((row) => row.kind === TransactionKind.Refund),
      1
    )
  })

  test('refuses a second refund through a stale copy of the order that still says completed', async ({
    assert,
  }) => {
    const { user, order } = await completedOrder()
    const stale = await Order.findOrFail(order.id)
    await refund(order, 'admin')
    const after = await snapshot()

    assert.equal(stale.status, OrderStatus.Completed)
    assert.deepEqual(await refusalOf(refund(stale, 'admin')), {
      code: 'already_refunded',
      status: 409,
    })

    assert.deepEqual(await snapshot(), after)
    assert.equal(await balanceOf(user.id), OPENING)
    assert.equal(await ledgerSumOf(user.id), OPENING)
  })

  test("refuses a shopper's refund of a product that is not refundable; an admin may", async ({
    assert,
  }) => {
    const { user, order } = await completedOrder({ isRefundable: false })
    const before = await snapshot()

    assert.deepEqual(await refusalOf(refund(order, 'shopper')), {
      code: 'not_refundable',
      status: 409,
    })
    assert.deepEqual(await snapshot(), before)

    await refund(order, 'admin')
    assert.equal(await balanceOf(user.id), OPENING)
    assert.deepEqual(await ledgerDiscrepancies(), [])
  })

  test("refuses a shopper's refund once the refund window has closed", async ({ assert }) => {
    const { user, order } = await completedOrder()
    const closed = DateTime.now().minus({ milliseconds: vendingConfig.refundWindowMs + 60_000 })
    await db
      .from('orders')
      .where('id', order.id)
      .update({ completed_at: dbTimestamp(db.connection(), closed) })
    await order.refresh()
    const before = await snapshot()

    assert.deepEqual(await refusalOf(refund(order, 'shopper')), {
      code: 'refund_window_expired',
      status: 409,
    })

    assert.deepEqual(await snapshot(), before)
    assert.equal(await balanceOf(user.id), OPENING - PRICE)
  })

  test('refuses to refund an order still awaiting its vend', async ({ assert }) => {
    const user = await shopperWith(OPENING)
    const { machine, product } = await stockedMachine({ pricePaise: PRICE })
    const order = await buyWithWallet(user, product.id, machine.code)
    assert.equal(order.status, OrderStatus.Pending)
    const before = await snapshot()

    assert.deepEqual(await refusalOf(refund(order, 'shopper')), {
      code: 'not_refundable',
      status: 409,
    })
    assert.deepEqual(await refusalOf(refund(order, 'admin')), {
      code: 'not_refundable',
      status: 409,
    })

    assert.deepEqual(await snapshot(), before)
  })
})
