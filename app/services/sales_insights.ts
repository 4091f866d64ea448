import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import InvalidSalesRangeException from '#exceptions/invalid_sales_range_exception'
import UnknownSalesReportException from '#exceptions/unknown_sales_report_exception'
import { MAX_RANGE_DAYS, placedBetween, saleOrders } from '#services/sales_report'

/**
 * Default span of the insights page, in days, ending today.
 */
export const INSIGHTS_DEFAULT_DAYS = 30

/**
 * How many best and worst sellers are listed per machine.
 */
export const RANKING_SIZE = 3

/**
 * Rows of the heatmap, Monday first (ISO weekday 1..7).
 */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/**
 * A range of whole days in the operator's zone: `from`..`to` as the form
 * shows them (both inclusive), `start`..`end` the instants it covers
 * ([start, end), end = the day after `to` at midnight).
 */
export interface SalesRange {
  from: string
  to: string
  start: DateTime
  end: DateTime
  timeZone: string
}

export interface ProductSales {
  productId: number
  name: string
  units: number
  revenuePaise: number
}

export interface MachineSales {
  machineId: number
  code: string
  name: string
  units: number
  revenuePaise: number
}

/**
 * One machine's best sellers (most units sold in the range) and worst
 * sellers (fewest, among the products of its current planogram, zero
 * sellers included, best sellers left out).
 */
export interface MachineRanking {
  machineId: number
  code: string
  best: ProductSales[]
  worst: ProductSales[]
}

/**
 * Units sold by weekday (rows, Monday first) and hour of day (columns,
 * 0..23) on the operator's clock.
 */
export interface SalesHeatmap {
  timeZone: string
  cells: number[][]
  /** the largest cell, for shading (0 when nothing sold) */
  max: number
}

export interface SalesInsightsData {
  range: SalesRange
  machineId: number | null
  totals: { units: number; revenuePaise: number }
  products: ProductSales[]
  machines: MachineSales[]
  rankings: MachineRanking[]
  heatmap: SalesHeatmap
}

/**
 * The operator's time zone (config/analytics.ts, `APP_TZ`), read at each
 * call so a test may override the config.
 */
export function operatorTimeZone(): string {
  return app.config.get<string>('analytics.timeZone', 'UTC')
}

/**
 * Paise (integer) → rupees as plain text, e.g. 123456 → "1234.56",
 * -5 → "-0.05", for CSV cells (a spreadsheet reads it as a number). Done on
 * the digits, never by float division, so no paisa is ever rounded away.
 */
export function paiseToRupees(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new TypeError(`Not a whole number of paise: ${paise}`)
  const digits = String(Math.abs(paise)).padStart(3, '0')
  return `${paise < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`
}

/**
 * Turns the form's days (`YYYY-MM-DD`, optional) into a `SalesRange` in
 * time zone `timeZone`: both missing → the last `INSIGHTS_DEFAULT_DAYS`
 * days ending today; only one → that many days from/to it.
 *
 * @throws InvalidSalesRangeException for a malformed day, `to` before
 *   `from`, or a range longer than `MAX_RANGE_DAYS` days (the rule of the
 *   sales report's range, but refused here rather than silently cut, since
 *   a CSV export must contain what was asked for)
 */
export function resolveSalesRange(
  input: { from?: string; to?: string },
  timeZone: string = operatorTimeZone(),
  now: DateTime = DateTime.now()
): SalesRange {
  const parse = (value: string | undefined) => {
    if (value === undefined) return undefined
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? DateTime.fromISO(value, { zone: timeZone })
      : null
    if (!day?.isValid) throw new InvalidSalesRangeException('Dates must be given as YYYY-MM-DD.')
    return day
  }
  const span = INSIGHTS_DEFAULT_DAYS - 1
  let first: DateTime | undefined = parse(input.from)
  let last: DateTime | undefined = parse(input.to)
  if (!first && !last) last = now.setZone(timeZone).startOf('day')
  if (!first) first = last!.minus({ days: span })
  if (!last) last = first.plus({ days: span })

  if (last < first) {
    throw new InvalidSalesRangeException(
      'The range ends before it starts: "to" must not be before "from".'
    )
  }
  const days = Math.round(last.diff(first, 'days').days) + 1
  if (days > MAX_RANGE_DAYS) {
    throw new InvalidSalesRangeException(
      `A range covers at most ${MAX_RANGE_DAYS} days; this one has ${days}.`
    )
  }
  return {
    from: first.toISODate()!,
    to: last.toISODate()!,
    start: first,
    end: last.plus({ days: 1 }),
    timeZone,
  }
}

/**
 * What sells: units and revenue of sales (`saleOrders`: completed, no test
 * vends) per product and per machine, each machine's best and worst
 * sellers, and a weekday × hour heatmap of units, for a `SalesRange` and
 * optionally one machine. Every figure comes from a grouped SQL query;
 * money stays integer paise.
 */
@inject()
export default class SalesInsights {
  /**
   * @param machineId only this machine's sales (and ranking), when given
   */
  async build(range: SalesRange, machineId: number | null = null): Promise<SalesInsightsData> {
    const client = db.connection()
    const products = await this.byProduct(client, range, machineId)
    const machines = await this.byMachine(client, range, machineId)
    return {
      range,
      machineId,
      totals: machines.reduce(
        (sum, row) => ({
          units: sum.units + row.units,
          revenuePaise: sum.revenuePaise + row.revenuePaise,
        }),
        { units: 0, revenuePaise: 0 }
      ),
      products,
      machines,
      rankings: await this.rankings(client, range, machineId),
      heatmap: await this.heatmap(client, range, machineId),
    }
  }

  protected sales(client: QueryClientContract, range: SalesRange, machineId: number | null) {
    const query = placedBetween(saleOrders(client), range.start, range.end)
    if (machineId !== null) query.where('orders.machine_id', machineId)
    return query
  }

  /**
   * Units and revenue per product, most units first (then revenue, name).
   */
  async byProduct(
    client: QueryClientContract,
    range: SalesRange,
    machineId: number | null
  ): Promise<ProductSales[]> {
    const rows = await this.sales(client, range, machineId)
      .join('products', 'products.id', 'orders.product_id')
      .select('products.id', 'products.name')
      .count('* as units')
      .sum('orders.price_paise as revenue')
      .groupBy('products.id', 'products.name')
    return rows
      .map((row) => ({
        productId: Number(row.id),
        name: String(row.name),
        units: Number(row.units),
        revenuePaise: Number(row.revenue ?? 0),
      }))
      .sort(bySales)
  }

  /**
   * Units and revenue per machine that sold anything, most units first.
   */
  async byMachine(
    client: QueryClientContract,
    range: SalesRange,
    machineId: number | null
  ): Promise<MachineSales[]> {
    const rows = await this.sales(client, range, machineId)
      .join('machines', 'machines.id', 'orders.machine_id')
      .select('machines.id', 'machines.code', 'machines.name')
      .count('* as units')
      .sum('orders.price_paise as revenue')
      .groupBy('machines.id', 'machines.code', 'machines.name')
    return rows
      .map((row) => ({
        machineId: Number(row.id),
        code: String(row.code),
        name: String(row.name ?? ''),
        units: Number(row.units),
        revenuePaise: Number(row.revenue ?? 0),
      }))
      .sort(
        (a, b) =>
          b.units - a.units || b.revenuePaise - a.revenuePaise || a.code.localeCompare(b.code)
      )
  }

  /**
   * Best and worst `RANKING_SIZE` sellers of every machine (of the one
   * machine, when filtered): one grouped query for the sales per machine
   * and product, one for the planograms' products. Worst sellers are
   * chosen among the products in the machine's planogram now (a product
   * taken out is not "selling badly here"), zero sellers first, and leave
   * out the best sellers so a small planogram does not list a product as
   * both.
   */
  async rankings(
    client: QueryClientContract,
    range: SalesRange,
    machineId: number | null
  ): Promise<MachineRanking[]> {
    const salesRows = await this.sales(client, range, machineId)
      .join('products', 'products.id', 'orders.product_id')
      .select('orders.machine_id', 'products.id', 'products.name')
      .count('* as units')
      .sum('orders.price_paise as revenue')
      .groupBy('orders.machine_id', 'products.id', 'products.name')
    const planogramRows = await client
      .from('slots')
      .join('products', 'products.id', 'slots.product_id')
      .if(machineId !== null, (query) => query.where('slots.machine_id', machineId!))
      .distinct('slots.machine_id', 'products.id', 'products.name')
    const machineRows = await client
      .from('machines')
      .if(machineId !== null, (query) => query.where('id', machineId!))
      .select('id', 'code')
      .orderBy('code')

    return machineRows.map((machine) => {
      const id = Number(machine.id)
      const sold = salesRows
        .filter((row) => Number(row.machine_id) === id)
        .map((row) => ({
          productId: Number(row.id),
          name: String(row.name),
          units: Number(row.units),
          revenuePaise: Number(row.revenue ?? 0),
        }))
      const best = [...sold].sort(bySales).slice(0, RANKING_SIZE)
      const bestIds = new Set(best.map((row) => row.productId))
      const worst = planogramRows
        .filter((row) => Number(row.machine_id) === id && !bestIds.has(Number(row.id)))
        .map(
          (row): ProductSales =>
            sold.find((sale) => sale.productId === Number(row.id)) ?? {
              productId: Number(row.id),
              name: String(row.name),
              units: 0,
              revenuePaise: 0,
            }
        )
        .sort(
          (a, b) =>
            a.units - b.units || a.revenuePaise - b.revenuePaise || a.name.localeCompare(b.name)
        )
        .slice(0, RANKING_SIZE)
      return { machineId: id, code: String(machine.code), best, worst }
    })
  }

  /**
   * Units per weekday and hour on the operator's clock (`range.timeZone`).
   *
   * PostgreSQL: `created_at` is `timestamptz` (knex's `timestamp()`), so
   * `created_at AT TIME ZONE :tz` is the wall time in that zone, daylight
   * saving included. (`AT TIME ZONE 'UTC' AT TIME ZONE :tz` would be the
   * form for a column without time zone holding UTC; here it would shift
   * twice.)
   *
   * SQLite: `created_at` is text in the server's local time, with no zone.
   * It is shifted by one fixed offset, the zone's offset minus the
   * server's at the range's start. Limitation: in a zone with daylight
   * saving, sales on the far side of a change within the range land one
   * hour off. PostgreSQL is the production database; SQLite serves demos
   * and small sites.
   */
  async heatmap(
    client: QueryClientContract,
    range: SalesRange,
    machineId: number | null
  ): Promise<SalesHeatmap> {
    let weekday: string
    let hour: string
    let bindings: (string | number)[]
    if (client.dialect.name === 'postgres') {
      weekday = `extract(isodow from orders.created_at at time zone ?)`
      hour = `extract(hour from orders.created_at at time zone ?)`
      bindings = [range.timeZone]
    } else {
      const minutes = range.start.setZone(range.timeZone).offset - range.start.toLocal().offset
      const shifted = `datetime(orders.created_at, ?)`
      // strftime('%w') counts from Sunday = 0.
      weekday = `((cast(strftime('%w', ${shifted}) as integer) + 6) % 7 + 1)`
      hour = `cast(strftime('%H', ${shifted}) as integer)`
      bindings = [`${minutes >= 0 ? '+' : ''}${minutes} minutes`]
    }
    const rows = await this.sales(client, range, machineId)
      .select(client.raw(`${weekday} as weekday`, bindings))
      .select(client.raw(`${hour} as hour`, bindings))
      .count('* as units')
      // By position: on PostgreSQL the same expression with its own
      // bindings in GROUP BY would count as a different expression.
      .groupByRaw('1, 2')

    const cells = WEEKDAYS.map(() => Array.from({ length: 24 }, () => 0))
    for (const row of rows) cells[Number(row.weekday) - 1][Number(row.hour)] = Number(row.units)
    return { timeZone: range.timeZone, cells, max: Math.max(0, ...cells.flat()) }
  }
}

/**
 * Most units first, then most revenue, then by name.
 */
function bySales(a: ProductSales, b: ProductSales): number {
  return b.units - a.units || b.revenuePaise - a.revenuePaise || a.name.localeCompare(b.name)
}

/**
 * The CSV exports of the insights page, by `report` name.
 */
export const SALES_CSV_REPORTS = ['products', 'machines', 'heatmap'] as const
export type SalesCsvReport = (typeof SALES_CSV_REPORTS)[number]

/**
 * One CSV export: header and rows, revenue in rupees as text
 * (`paiseToRupees`), units as integers.
 */
export interface SalesCsvTable {
  columns: string[]
  rows: (string | number)[][]
}

/**
 * The export named `report` (the `report` query parameter).
 *
 * @throws UnknownSalesReportException when there is no such export
 */
export function salesCsvReport(report: string | undefined): SalesCsvReport {
  const known = SALES_CSV_REPORTS.find((name) => name === report)
  if (!known) throw new UnknownSalesReportException()
  return known
}

/**
 * The table of CSV export `report` of `data`:
 * - `products`: product_id, product, units, revenue_inr
 * - `machines`: machine_id, machine, name, units, revenue_inr
 * - `heatmap`: weekday (Mon..Sun), then units per hour 00..23 in
 *   `data.heatmap.timeZone`
 */
export function salesCsvTable(report: SalesCsvReport, data: SalesInsightsData): SalesCsvTable {
  switch (report) {
    case 'products':
      return {
        columns: ['product_id', 'product', 'units', 'revenue_inr'],
        rows: data.products.map((row) => [
          row.productId,
          row.name,
          row.units,
          paiseToRupees(row.revenuePaise),
        ]),
      }
    case 'machines':
      return {
        columns: ['machine_id', 'machine', 'name', 'units', 'revenue_inr'],
        rows: data.machines.map((row) => [
          row.machineId,
          row.code,
          row.name,
          row.units,
          paiseToRupees(row.revenuePaise),
        ]),
      }
    case 'heatmap':
      return {
        columns: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))],
        rows: data.heatmap.cells.map((hours, index) => [WEEKDAYS[index], ...hours]),
      }
  }
}
