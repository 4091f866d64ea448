import type { ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'

/**
 * One error of the API's error body.
 */
export interface ApiErrorBody {
  code: string
  message: string
  field?: string
}

/**
 * Asserts that `response` is the API's error answer and nothing else:
 * status `status`, a JSON body of exactly `{ errors: [{ code, message,
 * field? }] }` with one error of code `code`, a human message, and `field`
 * present exactly when given.
 *
 * @returns the error, for further checks of its message
 */
export function assertApiError(
  response: ApiResponse,
  status: number,
  code: string,
  field?: string
): ApiErrorBody {
  const assert = response.assert!
  response.assertStatus(status)
  assert.include(String(response.header('content-type')), 'application/json')

  const body = response.body()
  assert.deepEqual(Object.keys(body), ['errors'], 'the body holds only `errors`')
  assert.isArray(body.errors)
  assert.lengthOf(body.errors, 1, JSON.stringify(body.errors))

  const [error] = body.errors as ApiErrorBody[]
  assert.sameMembers(
    Object.keys(error),
    field === undefined ? ['code', 'message'] : ['code', 'message', 'field']
  )
  assert.equal(error.code, code)
  assert.isString(error.message)
  assert.isAbove(error.message.trim().length, 0, 'the message is for humans')
  if (field !== undefined) assert.equal(error.field, field)
  return error
}

/**
 * What a request could change: every balance, every slot's stock, every
 * order's status, and how many ledger rows and orders exist.
 */
export interface DbSnapshot {
  balances: Record<number, number>
  stock: Record<number, number>
  orderStatuses: Record<number, string>
  orders: number
  transactions: number
}

export async function snapshot(): Promise<DbSnapshot> {
  const users = await db.from('users').select('id', 'balance_paise').orderBy('id')
  const slots = await db.from('slots').select('id', 'quantity').orderBy('id')
  const orders = await db.from('orders').select('id', 'status').orderBy('id')
  const transactions = await db.from('transactions').count('* as total').first()
  return {
    balances: Object.fromEntries(users.map((row) => [row.id, Number(row.balance_paise)])),
    stock: Object.fromEntries(slots.map((row) => [row.id, Number(row.quantity)])),
    orderStatuses: Object.fromEntries(orders.map((row) => [row.id, row.status])),
    orders: orders.length,
    transactions: Number(transactions.total),
  }
}

/**
 * A user's balance as stored, in paise.
 */
export async function balanceOf(userId: number): Promise<number> {
  const row = await db.from('users').where('id', userId).select('balance_paise').firstOrFail()
  return Number(row.balance_paise)
}

/**
 * A user's ledger rows, oldest first, with numbers as numbers.
 */
export async function ledgerRowsOf(userId: number) {
  const rows = await db.from('transactions').where('user_id', userId).orderBy('id')
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as string,
    amountPaise: Number(row.amount_paise),
    balanceAfterPaise: Number(row.balance_after_paise),
    orderId: row.order_id === null ? null : Number(row.order_id),
    externalReference: row.external_reference as string | null,
  }))
}

/**
 * Every way the ledger can disagree with the balances, one line each
 * (empty when the books balance): a balance that is not the sum of the
 * user's ledger rows, a negative balance, or a last row whose
 * `balance_after_paise` is not the balance.
 */
export async function ledgerDiscrepancies(): Promise<string[]> {
  const users = await db.from('users').select('id', 'balance_paise').orderBy('id')
  const problems: string[] = []
  for (const user of users) {
    const balance = Number(user.balance_paise)
    const rows = await ledgerRowsOf(user.id)
    const sum = rows.reduce((total, row) => total + row.amountPaise, 0)
    if (balance !== sum)
      problems.push(`user ${user.id}: balance ${balance} but ledger sums to ${sum}`)
    if (balance < 0) problems.push(`user ${user.id}: negative balance ${balance}`)
    const last = rows.at(-1)
    if (last && last.balanceAfterPaise !== balance) {
      problems.push(
        `user ${user.id}: last ledger row says ${last.balanceAfterPaise}, balance is ${balance}`
      )
    }
    let running = 0
    for (const row of rows) {
      running += row.amountPaise
      if (row.balanceAfterPaise !== running) {
        problems.push(
          `user ${user.id}: row ${row.id} balance_after ${row.balanceAfterPaise}, running sum ${running}`
        )
      }
    }
  }
  return problems
}
