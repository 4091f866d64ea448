import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { OrderStatus } from '#enums/order_status'
import Order from '#models/order'
import { dbTimestamp, containsPattern } from '#services/db_helpers'

/**
 * Orders per page in the panel's list.
 */
export const ORDERS_PER_PAGE = 25

/**
 * The panel's order filters, already validated (`adminOrdersFilterValidator`).
 * `from`/`to` are `YYYY-MM-DD` days, both inclusive, in server time;
 * `shopper` matches any part of the username, ignoring case.
 */
export interface OrderFilters {
  status?: OrderStatus
  machine?: number
  product?: number
  shopper?: string
  from?: string
  to?: string
}

/**
 * One CSV row of the export, in the column order of `ORDER_CSV_COLUMNS`.
 * `is_test` is `true` for an operator's free test vend (no sale), else
 * `false`.
 */
export type OrderCsvRow = Record<(typeof ORDER_CSV_COLUMNS)[number], string | number>

export const ORDER_CSV_COLUMNS = [
  'id',
  'created_at',
  'shopper',
  'machine',
  'slot',
  'product',
  'price',
  'status',
  'failure_reason',
  'is_test',
] as const

/**
 * Finds orders for the panel's list and its CSV export, newest first, with
 * the same filters, so the export is exactly what the list shows.
 */
export default class ListOrders {
  /**
   * The filtered query, with shopper, machine and product preloaded.
   */
  query(filters: OrderFilters): ModelQueryBuilderContract<typeof Order, Order> {
    const client = db.connection()
    const query = Order.query().preload('user').preload('machine').preload('product')

    if (filters.status) query.where('status', filters.status)
    if (filters.machine) query.where('machine_id', filters.machine)
    if (filters.product) query.where('product_id', filters.product)
    if (filters.shopper) {
      const pattern = containsPattern(filters.shopper)
      query.whereHas('user', (users) =>
        users.whereRaw(`lower(username) like ? escape '\\'`, [pattern])
      )
    }
    const from = filters.from ? DateTime.fromISO(filters.from) : null
    const to = filters.to ? DateTime.fromISO(filters.to) : null
    if (from?.isValid) query.where('created_at', '>=', dbTimestamp(client, from.startOf('day')))
    if (to?.isValid)
      query.where('created_at', '<', dbTimestamp(client, to.plus({ days: 1 }).startOf('day')))

    return query.orderBy('created_at', 'desc').orderBy('id', 'desc')
  }

  /**
   * One page of the list.
   */
  page(filters: OrderFilters, page: number) {
    return this.query(filters).paginate(page, ORDERS_PER_PAGE)
  }

  /**
   * Every matching order as CSV rows, read in chunks so a large export
   * never holds the whole table in memory. Prices in rupees with two
   * decimals; times in ISO 8601.
   */
  async *csvRows(filters: OrderFilters, chunkSize = 500): AsyncGenerator<OrderCsvRow> {
    for (let offset = 0; ; offset += chunkSize) {
      const orders = await this.query(filters).offset(offset).limit(chunkSize)
      for (const order of orders) {
        yield {
          id: order.id,
          created_at: order.createdAt.toISO() ?? '',
          shopper: order.user.username,
          machine: order.machine.code,
          slot: order.slotNumber,
          product: order.product.name,
          price: rupeesPlain(order.pricePaise),
          status: order.status,
          failure_reason: order.failureReason ?? '',
          is_test: order.isTest ? 'true' : 'false',
        }
      }
      if (orders.length < chunkSize) return
    }
  }
}

/**
 * Integer paise → `"25.00"`, exact (no floating point).
 */
export function rupeesPlain(paise: number): string {
  const sign = paise < 0 ? '-' : ''
  const abs = Math.abs(paise)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
