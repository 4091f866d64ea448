import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { OrderStatus } from '#enums/order_status'
import { dbTimestamp } from '#services/db_helpers'

/**
 * Default span of the analytics page, in days, ending today.
 */
export const DEFAULT_RANGE_DAYS = 14

/**
 * Longest range one report covers, so a typo cannot ask for centuries.
 */
export const MAX_RANGE_DAYS = 366

/**
 * THE definition of a sale, shared by every report (this one, the
 * dashboard's figures, `SalesInsights`, `PlanogramSuggestions`): an order in
 * status `completed` that is not an operator's test vend. A pending or
 * dispensing order is not a sale yet, a failed one never was, and one
 * refunded later is no longer one. Returns a query builder on `orders`
 * (columns qualified as `orders.*`, so callers may join).
 */
export function saleOrders(client: QueryClientContract = db.connection()) {
  return client
    .from('orders')
    .where('orders.status', OrderStatus.Completed)
    .where('orders.is_test', false)
}

/**
 * Narrows `query` (on `orders`) to orders placed (`created_at`) in
 * [`from`, `to`): `to` is exclusive, and no upper bound when omitted.
 * The bounds are written in the format the query's dialect stores
 * timestamps in; on SQLite that text is the server's local time, so the
 * bounds are turned into it first whatever zone they come in.
 */
export function placedBetween<Query extends DatabaseQueryBuilderContract>(
  query: Query,
  from: DateTime,
  to?: DateTime
): Query {
  query.where('orders.created_at', '>=', dbTimestamp(query.client, from.toLocal()))
  if (to) query.where('orders.created_at', '<', dbTimestamp(query.client, to.toLocal()))
  return query
}

/**
 * Sales of one bucket: revenue in paise and the number of vends.
 */
export interface SalesFigures {
  revenuePaise: number
  vends: number
}

export interface DailySales extends SalesFigures {
  /** `YYYY-MM-DD` */
  day: string
}

export interface NamedSales extends SalesFigures {
  id: number
  label: string
}

/**
 * A sales report for whole days `from`..`to` (both inclusive).
 */
export interface SalesReportData {
  from: string
  to: string
  days: DailySales[]
  products: NamedSales[]
  machines: NamedSales[]
  totals: SalesFigures
}

/**
 * Sales analytics for the panel: revenue and vends of completed
 * orders per day, per product and per machine.
 *
 * A sale is what `saleOrders` says, counted on the day it was placed
 * (`created_at`, server time, UTC by default). Aggregation happens in SQL with GROUP BY;
 * only the day bucket differs between dialects. Days without sales are
 * filled in with zeros here, so charts have no gaps.
 */
export default class SalesReport {
  /**
   * @param from first day, `YYYY-MM-DD`
   * @param to last day, `YYYY-MM-DD`, not before `from`
   */
  async build(from: string, to: string): Promise<SalesReportData> {
    const client = db.connection()
    const start = DateTime.fromISO(from).startOf('day')
    const end = DateTime.fromISO(to).startOf('day')
    const sales = () => placedBetween(saleOrders(client), start, end.plus({ days: 1 }))

    const bucket = this.dayBucket(client, 'orders.created_at')
    const dailyRows = await sales()
      .select(client.raw(`${bucket} as day`))
      .sum('orders.price_paise as revenue')
      .count('* as vends')
      .groupByRaw(bucket)

    const productRows = await sales()
      .join('products', 'products.id', 'orders.product_id')
      .select('products.id', 'products.name as label')
      .sum('orders.price_paise as revenue')
      .count('* as vends')
      .groupBy('products.id', 'products.name')

    const machineRows = await sales()
      .join('machines', 'machines.id', 'orders.machine_id')
      .select('machines.id', 'machines.code as label')
      .sum('orders.price_paise as revenue')
      .count('* as vends')
      .groupBy('machines.id', 'machines.code')

    const byDay = new Map<string, SalesFigures>(
      dailyRows.map((row) => [
        String(row.day),
        { revenuePaise: Number(row.revenue ?? 0), vends: Number(row.vends) },
      ])
    )
    const days: DailySales[] = []
    for (let day = start; day <= end; day = day.plus({ days: 1 })) {
      const key = day.toISODate()!
      days.push({ day: key, ...(byDay.get(key) ?? { revenuePaise: 0, vends: 0 }) })
    }

    const named = (rows: any[]): NamedSales[] =>
      rows
        .map((row) => ({
          id: Number(row.id),
          label: String(row.label),
          revenuePaise: Number(row.revenue ?? 0),
          vends: Number(row.vends),
        }))
        .sort(
          (a, b) =>
            b.revenuePaise - a.revenuePaise || b.vends - a.vends || a.label.localeCompare(b.label)
        )

    return {
      from: start.toISODate()!,
      to: end.toISODate()!,
      days,
      products: named(productRows),
      machines: named(machineRows),
      totals: days.reduce(
        (sum, d) => ({
          revenuePaise: sum.revenuePaise + d.revenuePaise,
          vends: sum.vends + d.vends,
        }),
        {
          revenuePaise: 0,
          vends: 0,
        }
      ),
    }
  }

  /**
   * SQL for the `YYYY-MM-DD` day of a timestamp column. SQLite keeps
   * Lucid's timestamps as `yyyy-MM-dd HH:mm:ss` text; PostgreSQL has a
   * real timestamp type.
   */
  protected dayBucket(client: QueryClientContract, column: string): string {
    if (client.dialect.name === 'postgres') return `to_char(${column}, 'YYYY-MM-DD')`
    return `substr(${column}, 1, 10)`
  }
}
