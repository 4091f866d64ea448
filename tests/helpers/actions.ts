import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { MachineStatus } from '#enums/machine_status'
import MachineWriteQueue from '#services/machine_write_queue'
import type User from '#models/user'
import BuyProduct from '#actions/orders/buy_product'
import { MachineFactory } from '#database/factories/machine_factory'
import { ProductFactory } from '#database/factories/product_factory'
import { SlotFactory } from '#database/factories/slot_factory'
import { UserFactory } from '#database/factories/user_factory'

/*
 * Builders for the action specs (tests/unit/actions), which call actions
 * directly inside a Lucid global transaction: no HTTP server, no socket.io
 * client. The machine is written `online` as the gateway would on connect;
 * whether a device can take a command is the fake DeviceChannel's say.
 */

/**
 * Runs each test of `group` in a Lucid global transaction, rolled back
 * after it. Before the rollback, the machine writes still queued
 * (`MachineWriteQueue`: a dispatched vend's monitor row is written after
 * the action returns) are awaited, so none lands outside the transaction,
 * in the next test.
 */
export function useGlobalTransaction(group: Group) {
  group.each.setup(async () => {
    const rollback = await testUtils.db().withGlobalTransaction()
    return async () => {
      await (await app.container.make(MachineWriteQueue)).settle()
      await rollback()
    }
  })
}

/**
 * A machine written `online` with one slot (number 1) of one product per
 * entry of `quantities` (default one slot of 5 units), slot n holding
 * `quantities[n - 1]` units of the same product, capacity 10.
 */
export async function stockedMachine(
  options: {
    quantities?: number[]
    pricePaise?: number
    isRefundable?: boolean
    status?: MachineStatus
  } = {}
) {
  const machine = await MachineFactory.merge({
    status: options.status ?? MachineStatus.Online,
  }).create()
  const product = await ProductFactory.merge({
    pricePaise: options.pricePaise ?? 2500,
    isRefundable: options.isRefundable ?? true,
  }).create()
  const slots = []
  for (const [index, quantity] of (options.quantities ?? [5]).entries()) {
    slots.push(
      await SlotFactory.merge({
        machineId: machine.id,
        productId: product.id,
        number: index + 1,
        quantity,
        capacity: 10,
      }).create()
    )
  }
  return { machine, product, slot: slots[0], slots }
}

/**
 * A shopper whose opening balance (paise) went through the ledger
 * (`UserFactory`), so balance and ledger agree from the start.
 */
export function shopperWith(balancePaise: number): Promise<User> {
  return UserFactory.merge({ balancePaise }).create()
}

/**
 * Buys one unit of `productId` from `machineCode` with `user`'s wallet
 * through the real `BuyProduct` (stock taken, price debited, order
 * written, dispatched when the device channel can take it).
 *
 * @returns the order, as stored after the buy
 */
export async function buyWithWallet(user: User, productId: number, machineCode: string) {
  const buy = await app.container.make(BuyProduct)
  const { order } = await buy.handle({ user, productId, machineCode })
  return order
}

/**
 * A slot's stored quantity.
 */
export async function stockOf(slotId: number): Promise<number> {
  const row = await db.from('slots').where('id', slotId).select('quantity').firstOrFail()
  return Number(row.quantity)
}

/**
 * A slot's check mark as stored (`flagForCheck`).
 */
export async function checkMarkOf(slotId: number) {
  const row = await db.from('slots').where('id', slotId).firstOrFail()
  return {
    flagged: row.needs_check_at !== null,
    reason: row.needs_check_reason as string | null,
    orderId: row.needs_check_order_id === null ? null : Number(row.needs_check_order_id),
  }
}

/**
 * An order's stored status and failure reason.
 */
export async function orderRow(orderId: number) {
  const row = await db.from('orders').where('id', orderId).firstOrFail()
  return { status: row.status as string, failureReason: row.failure_reason as string | null }
}

/**
 * The sum of `userId`'s ledger rows, in paise.
 */
export async function ledgerSumOf(userId: number): Promise<number> {
  const row = await db
    .from('transactions')
    .where('user_id', userId)
    .sum('amount_paise as total')
    .first()
  return Number(row?.total ?? 0)
}
