/**
 * Seeding and checking for the benches, with the app booted in this
 * process (`bootApp`): machines and slots go in with bulk inserts (10,000
 * machines one by one would take minutes), shoppers through `UserFactory`
 * so their opening balance is a real ledger row.
 */
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { dbTimestamp } from '#services/db_helpers'

export const BENCH_DEVICE_KEY = 'bench-device-key'

export interface SeededMachine {
  id: number
  code: string
  productId: number
}

export interface SeededShopper {
  id: number
  token: string
}

/**
 * `count` machines `bench-00001`... (all with device key
 * `BENCH_DEVICE_KEY`, hashed once), each with slot 1 holding `units` of
 * one shared product priced `pricePaise`.
 */
export async function seedMachines(
  count: number,
  units: number,
  pricePaise: number
): Promise<SeededMachine[]> {
  const now = dbTimestamp(db.connection())
  const [product] = await db
    .table('products')
    .insert({
      name: 'Bench snack',
      price_paise: pricePaise,
      is_refundable: false,
      is_active: true,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const productId = typeof product === 'object' ? product.id : product
  const keyHash = await hash.make(BENCH_DEVICE_KEY)
  const codes = Array.from(
    { length: count },
    (_, index) => `bench-${String(index + 1).padStart(5, '0')}`
  )
  for (let start = 0; start < codes.length; start += 200) {
    const chunk = codes.slice(start, start + 200)
    await db.table('machines').multiInsert(
      chunk.map((code) => ({
        code,
        name: code,
        device_key_hash: keyHash,
        status: 'offline',
        created_at: now,
        updated_at: now,
      }))
    )
  }
  const machines = await db.from('machines').select('id', 'code').orderBy('id')
  for (let start = 0; start < machines.length; start += 200) {
    await db.table('slots').multiInsert(
      machines.slice(start, start + 200).map((machine) => ({
        machine_id: machine.id,
        number: 1,
        product_id: productId,
        quantity: units,
        capacity: Math.max(units, 1),
        created_at: now,
        updated_at: now,
      }))
    )
  }
  return machines.map((machine) => ({ id: machine.id, code: machine.code, productId }))
}

/**
 * `count` shoppers with `balancePaise` each (a ledger `topup` row) and a
 * bearer token.
 */
export async function seedShoppers(count: number, balancePaise: number): Promise<SeededShopper[]> {
  const shoppers: SeededShopper[] = []
  for (let index = 0; index < count; index++) {
    const user = await UserFactory.merge({ balancePaise }).create()
    const token = await User.accessTokens.create(user, ['*'], { name: 'bench' })
    shoppers.push({ id: user.id, token: token.value!.release() })
  }
  return shoppers
}

/**
 * Waits until `count` machines are written `online` (a device's `hello`
 * comes just after its machine is), polling every 50 ms.
 */
export async function waitForOnline(count: number): Promise<void> {
  for (;;) {
    const [{ online }] = await db.from('machines').where('status', 'online').count('* as online')
    if (Number(online) === count) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Waits until no order is `pending` or `dispensing` (every vend settled),
 * or `timeoutMs` passes; resolves with how many are still open.
 */
export async function waitForSettled(timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [{ open }] = await db
      .from('orders')
      .whereIn('status', ['pending', 'dispensing'])
      .count('* as open')
    if (Number(open) === 0 || Date.now() > deadline) return Number(open)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/**
 * The books, checked with SQL over the whole database. Each problem is a
 * sentence; an empty list means:
 * - no slot below zero, and the stock taken (`units` per slot minus what
 *   is left) equals the orders that took a unit (every order but those
 *   refunded before their command left, whose unit went back);
 * - every balance equals the sum of its ledger rows, and none is negative;
 * - every order has exactly one purchase row, at most one refund row, and
 *   a refund row exactly when it ended refunded;
 * - no `command_id` appears twice.
 *
 * `dispensed` (command ids the devices turned a motor for, duplicates
 * kept) adds: no command dispensed twice, and every completed order was
 * dispensed.
 */
export async function checkBooks(units: number, dispensed?: string[]): Promise<string[]> {
  const problems: string[] = []
  const [{ negative }] = await db.from('slots').where('quantity', '<', 0).count('* as negative')
  if (Number(negative) > 0) problems.push(`${negative} slots below zero`)

  const [{ slots, left }] = await db.from('slots').count('* as slots').sum('quantity as left')
  const taken = Number(slots) * units - Number(left ?? 0)
  const [{ holding }] = await db
    .from('orders')
    .whereNot((query) => query.where('status', 'refunded').whereNull('dispatched_at'))
    .count('* as holding')
  if (taken !== Number(holding))
    problems.push(`stock taken ${taken} but ${holding} orders hold a unit`)

  const balances = await db
    .from('users')
    .leftJoin('transactions', 'transactions.user_id', 'users.id')
    .groupBy('users.id', 'users.balance_paise')
    .select('users.id', 'users.balance_paise')
    .sum('transactions.amount_paise as ledger')
  for (const row of balances) {
    if (Number(row.balance_paise) !== Number(row.ledger ?? 0)) {
      problems.push(`user ${row.id}: balance ${row.balance_paise}, ledger ${row.ledger}`)
    }
    if (Number(row.balance_paise) < 0) problems.push(`user ${row.id}: negative balance`)
  }

  const perOrder = await db
    .from('orders')
    .leftJoin('transactions', 'transactions.order_id', 'orders.id')
    .groupBy('orders.id', 'orders.status')
    .select('orders.id', 'orders.status')
    .select(db.raw("sum(case when transactions.kind = 'purchase' then 1 else 0 end) as purchases"))
    .select(db.raw("sum(case when transactions.kind = 'refund' then 1 else 0 end) as refunds"))
  for (const row of perOrder) {
    if (Number(row.purchases) !== 1)
      problems.push(`order ${row.id}: ${row.purchases} purchase rows`)
    const refunds = Number(row.refunds)
    if (refunds > 1 || (refunds === 1) !== (row.status === 'refunded')) {
      problems.push(`order ${row.id}: status ${row.status} with ${refunds} refund rows`)
    }
  }

  const duplicates = await db
    .from('orders')
    .groupBy('command_id')
    .havingRaw('count(*) > 1')
    .select('command_id')
  if (duplicates.length > 0) problems.push(`${duplicates.length} command ids used twice`)

  if (dispensed) {
    const seen = new Set<string>()
    for (const commandId of dispensed) {
      if (seen.has(commandId)) problems.push(`command ${commandId} dispensed twice`)
      seen.add(commandId)
    }
    const completed = await db.from('orders').where('status', 'completed').select('command_id')
    const missing = completed.filter((row) => !seen.has(row.command_id)).length
    if (missing > 0) problems.push(`${missing} completed orders that no device dispensed`)
  }
  return problems
}

/**
 * Orders by status, e.g. `{ completed: 980, refunded: 20 }`.
 */
export async function orderStatuses(): Promise<Record<string, number>> {
  const rows = await db.from('orders').groupBy('status').select('status').count('* as total')
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]))
}
